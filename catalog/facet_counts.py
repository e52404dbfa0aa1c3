"""The one query that counts every facet of a listing, from a narrow copy of its results.

``catalog.facets`` compiles the listing's products *before* any filter
(visible, in the category, matching the words) as narrow rows:

    id, category, brand, bucket, stars, stock, <one 0/1 flag per selected filter>,
    <the page's sort terms>

where ``bucket`` is the price bucket's index (NULL without a price),
``stars`` the highest "N stars & up" the rating reaches (0 without one) and
``stock`` 1 when in stock. That SELECT is the CTE ``matched``; the
database reads the matches once (through the search indexes when there
are words) and every count below is a GROUP BY over those rows, under
the flags of every selected filter but the one of the facet counted: a
selected brand narrows the colour counts but not the brand counts.

Categories: a product counts once under each child category whose subtree
holds its primary or one of its secondary categories, through a small
``(category, child)`` map of the subtrees: the matches counted by primary
category (a hash of a few hundred groups), plus, per child, the products
only a secondary category places there (the few with secondary
categories, each once). Brands likewise are counted by id, then named.
Attribute values: the product's choice and yes/no values, and its
variants' option values.

The page's products are picked from the same rows (``Page``): ordered by
the sort's terms under every selected filter, a window of them, numbered
in order. A search's matches are thus read once for the facets, the
count and the page; before, the page's own query read and joined them
again.

Plain SQL that PostgreSQL and SQLite both run, built as text: a
listing's filters change only which flags each count requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.models import (
    Attribute,
    AttributeChoice,
    Brand,
    Product,
    ProductAttributeValue,
    ProductVariant,
)

#: The narrow rows' columns before the flags, in the order ``catalog.facets`` selects them.
COLUMNS = ("id", "category", "brand", "bucket", "stars", "stock")

#: The "attribute code" of brand rows in ``Counts.values`` (no attribute code has a space).
BRAND = " brand"


@dataclass(frozen=True, slots=True)
class Page:
    """The page's products: each sort term as (descending, NULLs last), and the window."""

    order: list[tuple[bool, bool]]
    offset: int
    limit: int


@dataclass
class Counts:
    """What the one query counted; ``values`` rows are (code, name, slug, label, products);
    ``page`` the ids of the page's products, in order."""

    total: int = 0
    buckets: dict[int, int] = field(default_factory=dict)
    in_stock: int = 0
    stars: dict[int, int] = field(default_factory=dict)
    categories: dict[int, int] = field(default_factory=dict)
    values: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    page: list[int] = field(default_factory=list)


def count(
    cursor,
    matched: tuple[str, tuple],
    *,
    flags: dict[str, str],
    subtrees: dict[int, list[int]],
    attribute_codes: list[str],
    page: Page,
) -> Counts:
    """Run the counting query over ``matched`` (SQL and params of the narrow rows).

    ``flags``: selected filter (its facet's name: "brand", "price",
    "in_stock", "rating", "attr_<code>") -> flag column. ``subtrees``:
    child category -> the ids of its subtree. ``attribute_codes``: the
    selected attributes, each counted under every filter but its own.
    """
    sql, params = _query(matched, flags, subtrees, attribute_codes, page)
    cursor.execute(sql, params)
    found = Counts()
    shown = []
    for kind, key, code, name, slug, label, n in cursor.fetchall():
        if kind == "page":
            shown.append((n, key))
        elif kind == "total":
            found.total = n
        elif kind == "price":
            found.buckets[key] = n
        elif kind == "stock":
            found.in_stock = n
        elif kind == "rating":
            found.stars[key] = n
        elif kind == "category":
            found.categories[key] = found.categories.get(key, 0) + n
        else:
            found.values.append((code, name, slug, label, n))
    found.page = [product for _position, product in sorted(shown)]
    return found


def _query(
    matched: tuple[str, tuple],
    flags: dict[str, str],
    subtrees: dict[int, list[int]],
    attribute_codes: list[str],
    page: Page,
) -> tuple[str, list]:
    def under(skip: str | None, alias: str = "m") -> str:
        """Every selected filter but ``skip`` holds for the row ``alias``."""
        held = [f"{alias}.{column} = 1" for name, column in flags.items() if name != skip]
        return " AND ".join(held) or "1 = 1"

    matched_sql, params = matched
    terms = [f"o{index}" for index in range(len(page.order))]
    columns = ", ".join((*COLUMNS, *flags.values(), *terms))
    ctes = [f"matched ({columns}) AS ({matched_sql})"]
    params = list(params)
    arms = [
        f"SELECT 'total', CAST(NULL AS INTEGER), {_NO_TEXT}, COUNT(*)"
        f" FROM matched m WHERE {under(None)}",
        f"SELECT 'price', m.bucket, {_NO_TEXT}, COUNT(*) FROM matched m"
        f" WHERE m.bucket IS NOT NULL AND {under('price')} GROUP BY m.bucket",
        f"SELECT 'stock', NULL, {_NO_TEXT}, COUNT(*) FROM matched m"
        f" WHERE m.stock = 1 AND {under('in_stock')}",
        f"SELECT 'rating', m.stars, {_NO_TEXT}, COUNT(*) FROM matched m"
        f" WHERE m.stars > 0 AND {under('rating')} GROUP BY m.stars",
        f"SELECT 'brand', NULL, '{BRAND}', 'Brand', b.slug, b.name, g.n FROM"
        f" (SELECT m.brand, COUNT(*) AS n FROM matched m WHERE {under('brand')} GROUP BY m.brand)"
        f" g JOIN {_table(Brand)} b ON b.id = g.brand",
    ]
    if subtrees:
        pairs = [(member, child) for child, ids in subtrees.items() for member in ids]
        ctes.append(
            "children (category, child) AS (VALUES " + ", ".join(["(%s, %s)"] * len(pairs)) + ")"
        )
        params += [value for pair in pairs for value in pair]
        secondary = Product.secondary_categories.through._meta.db_table
        arms += [
            f"SELECT 'category', c.child, {_NO_TEXT}, CAST(SUM(g.n) AS BIGINT) FROM"
            f" (SELECT m.category, COUNT(*) AS n FROM matched m WHERE {under(None)}"
            " GROUP BY m.category) g JOIN children c ON c.category = g.category GROUP BY c.child",
            f"SELECT 'category', c.child, {_NO_TEXT}, COUNT(DISTINCT m.id)"
            f" FROM matched m JOIN {secondary} s ON s.product_id = m.id"
            " JOIN children c ON c.category = s.category_id"
            " WHERE NOT EXISTS (SELECT 1 FROM children p WHERE p.category = m.category"
            f" AND p.child = c.child) AND {under(None)} GROUP BY c.child",
        ]
    condition, condition_params = _attribute_condition(under, flags, attribute_codes)
    value, choice, attribute = (
        _table(ProductAttributeValue),
        _table(AttributeChoice),
        _table(Attribute),
    )
    options = ProductVariant.option_values.through._meta.db_table
    arms += [
        f"SELECT 'value', NULL, a.code, a.name, ch.slug, ch.value, COUNT(DISTINCT m.id)"
        f" FROM matched m JOIN {value} v ON v.product_id = m.id"
        f" JOIN {choice} ch ON ch.id = v.choice_id JOIN {attribute} a ON a.id = v.attribute_id"
        f" WHERE {condition} GROUP BY a.code, a.name, ch.slug, ch.value",
        f"SELECT 'value', NULL, a.code, a.name, ch.slug, ch.value, COUNT(DISTINCT m.id)"
        f" FROM matched m JOIN {_table(ProductVariant)} pv ON pv.product_id = m.id"
        f" JOIN {options} o ON o.productvariant_id = pv.id"
        f" JOIN {choice} ch ON ch.id = o.attributechoice_id"
        f" JOIN {attribute} a ON a.id = ch.attribute_id"
        f" WHERE {condition} GROUP BY a.code, a.name, ch.slug, ch.value",
        f"SELECT 'value', NULL, a.code, a.name,"
        " CASE WHEN v.boolean THEN 'yes' ELSE 'no' END,"
        " CASE WHEN v.boolean THEN 'Yes' ELSE 'No' END, COUNT(DISTINCT m.id)"
        f" FROM matched m JOIN {value} v ON v.product_id = m.id"
        f" JOIN {attribute} a ON a.id = v.attribute_id"
        f" WHERE a.kind = '{Attribute.Kind.BOOLEAN.value}' AND v.boolean IS NOT NULL"
        f" AND {condition} GROUP BY a.code, a.name, v.boolean",
    ]
    params += condition_params * 3
    order = _order_by(terms, page.order)
    arms.append(
        f"SELECT 'page', p.id, {_NO_TEXT}, ROW_NUMBER() OVER (ORDER BY {order}) FROM"
        f" (SELECT * FROM matched p WHERE {under(None, 'p')} ORDER BY {order}"
        " LIMIT %s OFFSET %s) p"
    )
    params += [page.limit, page.offset]
    return f"WITH {', '.join(ctes)} " + " UNION ALL ".join(arms), params


#: The text columns (code, name, slug, label) of a row that has none.
_NO_TEXT = "NULL, NULL, NULL, NULL"


def _order_by(terms: list[str], order: list[tuple[bool, bool]]) -> str:
    """ORDER BY the terms of the page's rows ``p``; NULLs last spelt out, as SQLite has
    no NULLS LAST before 3.30 and each database puts them elsewhere by default."""
    found = []
    for term, (descending, nulls_last) in zip(terms, order, strict=True):
        if nulls_last:
            found.append(f"(p.{term} IS NULL)")
        found.append(f"p.{term} DESC" if descending else f"p.{term}")
    return ", ".join(found)


def _table(model) -> str:
    return model._meta.db_table


def _attribute_condition(under, flags: dict[str, str], codes: list[str]) -> tuple[str, list]:
    """Which filters a value of attribute ``a`` is counted under: all, but a selected
    attribute's own when the value is of that attribute."""
    own = [(code, under(f"attr_{code}")) for code in codes]
    if not own:
        return under(None), []
    cases = " ".join(f"WHEN a.code = %s THEN ({held})" for _code, held in own)
    return f"(CASE {cases} ELSE ({under(None)}) END)", [code for code, _held in own]
