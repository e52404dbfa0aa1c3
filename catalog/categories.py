"""The category tree, loaded whole in one query.

Shops have hundreds of categories, not millions, so reading them all once
per request is cheaper and simpler than recursive queries: breadcrumbs,
subtrees and event paths are then walks over a dict.
"""

from __future__ import annotations

from collections import defaultdict

from catalog.dtos import CategoryNode, CategoryRef
from catalog.models import Category


class Tree:
    def __init__(self, categories: list[Category]) -> None:
        self.by_id = {c.pk: c for c in categories}
        self.by_slug = {c.slug: c for c in categories}
        self.children = defaultdict(list)
        for category in categories:  # already in display order
            self.children[category.parent_id].append(category)

    def ref(self, category_id: int | None) -> CategoryRef | None:
        category = self.by_id.get(category_id)
        return CategoryRef(slug=category.slug, name=category.name) if category else None

    def ancestry(self, category_id: int | None) -> list[Category]:
        """The category and its ancestors, the category first."""
        path, seen = [], set()
        category = self.by_id.get(category_id)
        while category is not None and category.pk not in seen:
            seen.add(category.pk)
            path.append(category)
            category = self.by_id.get(category.parent_id)
        return path

    def breadcrumbs(self, category_id: int | None) -> tuple[CategoryRef, ...]:
        """Root first, the category last."""
        return tuple(
            CategoryRef(slug=c.slug, name=c.name) for c in reversed(self.ancestry(category_id))
        )

    def subtree_ids(self, category_id: int) -> list[int]:
        ids, stack = [], [category_id]
        while stack:
            current = stack.pop()
            ids.append(current)
            stack.extend(child.pk for child in self.children[current])
        return ids

    def membership_path(
        self, primary_id: int | None, secondary_ids: tuple[int, ...] = ()
    ) -> tuple[str, ...]:
        """Every category of a product, primary first, each followed by its ancestors."""
        slugs: dict[str, None] = {}
        for category_id in (primary_id, *secondary_ids):
            for category in self.ancestry(category_id):
                slugs[category.slug] = None
        return tuple(slugs)

    def nodes(self, parent_id: int | None = None) -> tuple[CategoryNode, ...]:
        return tuple(
            CategoryNode(slug=c.slug, name=c.name, children=self.nodes(c.pk))
            for c in self.children[parent_id]
        )


def load() -> Tree:
    return Tree(list(Category.objects.all()))
