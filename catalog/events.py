"""Versioned events the catalog publishes. Stdlib only: they are a published schema.

Subscribers (pricing's category targeting, the storefront cache) rely on
these fields; a v1 event may gain fields with defaults, never lose or
change one (that is a v2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProductChanged:
    """A product's information was created or edited.

    ``variant_skus`` are every sellable SKU of the product (the product's
    own SKU when it has no variants); ``category_slugs`` are every category
    the product is in, primary first, each followed by its ancestors, so a
    subscriber can target "kitchen" without knowing the tree.
    """

    event_type: ClassVar[str] = "catalog.product_changed.v1"

    product_id: int
    sku: str
    slug: str
    title: str
    variant_skus: tuple[str, ...] = ()
    category_slugs: tuple[str, ...] = ()
    brand: str | None = None
