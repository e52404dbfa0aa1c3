"""Filters of a listing and the facet counts that go with them.

Counts reflect the current result set the way shoppers expect from large
shops: each facet is counted over the results filtered by every *other*
selected filter (choosing "Brand A" still shows how many "Brand B" would
add, while a selected colour narrows the brand counts). Price and stock
come from the search projection (``SkuPrice``/``SkuStock``), never from
pricing's or inventory's tables.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When

from catalog import categories, facet_counts
from catalog.dtos import Facet, FacetValue, ListingQuery
from catalog.models import Attribute, Category, Product, ProductAttributeValue, ProductVariant
from catalog.params import RATING_MINIMUMS
from kernel.databases import connection_of

#: Price facet buckets, in the listing's currency (the last one is open-ended).
PRICE_EDGES = (Decimal(0), Decimal(10), Decimal(25), Decimal(50), Decimal(100), Decimal(250))
#: (low, high) of each price bucket, ``high`` None for the last.
BUCKETS = tuple(itertools.pairwise([*PRICE_EDGES, None]))


def in_categories(category_ids: list[int]) -> Q:
    """Products whose primary or a secondary category is one of ``category_ids``."""
    secondary = Product.secondary_categories.through.objects.filter(
        product_id=OuterRef("pk"), category_id__in=category_ids
    )
    return Q(category_id__in=category_ids) | Q(Exists(secondary))


#: How yes/no attributes appear in URLs and facets (``attr_eco=yes``).
BOOLEAN_VALUES = {"yes": True, "no": False}


def _has_choice(code: str, slugs: tuple[str, ...]) -> Q:
    """The product, or one of its variants, has one of these values of attribute ``code``.

    For a yes/no attribute the values are "yes" and "no".
    """
    booleans = [BOOLEAN_VALUES[slug] for slug in slugs if slug in BOOLEAN_VALUES]
    on_product = ProductAttributeValue.objects.filter(
        Q(choice__slug__in=slugs) | Q(attribute__kind=Attribute.Kind.BOOLEAN, boolean__in=booleans),
        product=OuterRef("pk"),
        attribute__code=code,
    )
    on_variant = ProductVariant.objects.filter(
        product=OuterRef("pk"),
        option_values__attribute__code=code,
        option_values__slug__in=slugs,
    )
    return Q(Exists(on_product)) | Q(Exists(on_variant))


def _conditions(query: ListingQuery) -> dict[str, Q]:
    """Each selected filter of ``query`` as a condition, by the facet it belongs to."""
    found = {}
    if query.brands:
        found["brand"] = Q(brand__slug__in=query.brands)
    for wanted in query.attributes:
        found[f"attr_{wanted.code}"] = _has_choice(wanted.code, wanted.slugs)
    price = Q()
    if query.price_min is not None:
        price &= Q(price__gte=query.price_min)
    if query.price_max is not None:
        price &= Q(price__lt=query.price_max)
    if price:
        found["price"] = price
    if query.in_stock:
        found["in_stock"] = Q(in_stock=True)
    if query.rating_min is not None:
        found["rating"] = Q(rating_average__gte=query.rating_min)
    return found


def apply_filters(queryset: QuerySet[Product], query: ListingQuery) -> QuerySet[Product]:
    """``queryset`` narrowed by every filter of the query."""
    return queryset.filter(*_conditions(query).values())


@dataclass(frozen=True, slots=True)
class Window:
    """The products one page shows: the sort's terms (column or annotation, descending,
    NULLs last; see selectors.ORDERS), and which of them by offset and limit."""

    order: tuple[tuple[str, bool, bool], ...]
    offset: int
    limit: int


def compute(
    base: QuerySet[Product],
    query: ListingQuery,
    tree: categories.Tree,
    category: Category | None,
    window: Window,
) -> tuple[tuple[Facet, ...], int, list[int]]:
    """Every facet, how many products match and the ids ``window`` shows, in one query.

    ``base`` (the products before any filter: visible, in the category,
    matching the words) is read once, as narrow rows, and every count is a
    GROUP BY over them under every selected filter but its own
    (catalog/facet_counts.py). It used to be one aggregate with a filtered
    count per child category, price bucket and rating, re-testing the
    category subtree per product and child category, then a second query
    matching the words again for the brand and attribute counts
    (docs/performance.md, "Search at 100,000 products"). The page's
    products are picked from the same rows, in the window's order, so a
    search reads its matches once; the caller reads those few by id.
    """
    conditions = _conditions(query)
    flags = {name: f"f{index}" for index, name in enumerate(conditions)}
    narrow = base.order_by().annotate(
        facet_id=F("pk"),
        facet_category=F("category_id"),
        facet_brand=F("brand_id"),
        facet_bucket=_bucket_index(),
        facet_stars=_stars(),
        facet_stock=_flag(Q(in_stock=True)),
        **{f"facet_{flags[name]}": _flag(condition) for name, condition in conditions.items()},
        **{f"facet_o{index}": F(name) for index, (name, _, _) in enumerate(window.order)},
    )
    narrow = narrow.values(*(f"facet_{column}" for column in facet_counts.COLUMNS),
                           *(f"facet_{column}" for column in flags.values()),
                           *(f"facet_o{index}" for index in range(len(window.order))))  # fmt: skip
    connection = connection_of("catalog")
    children = tree.children[category.pk if category else None]
    with connection.cursor() as cursor:
        counts = facet_counts.count(
            cursor,
            narrow.query.get_compiler(connection=connection).as_sql(),
            flags=flags,
            subtrees={child.pk: tree.subtree_ids(child.pk) for child in children},
            attribute_codes=[wanted.code for wanted in query.attributes],
            page=facet_counts.Page(
                order=[(descending, nulls_last) for _, descending, nulls_last in window.order],
                offset=window.offset,
                limit=window.limit,
            ),
        )
    brands = [row for row in counts.values if row[0] == facet_counts.BRAND]
    found = [
        _categories(children, counts.categories),
        _brands(brands, query),
        *_attributes([row for row in counts.values if row[0] != facet_counts.BRAND], query),
        _prices(counts.buckets, query),
        _stock(counts.in_stock, query),
        _ratings(counts.stars, query),
    ]
    return tuple(facet for facet in found if facet.values), counts.total, counts.page


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _bucket_index() -> Case:
    """The index of the price bucket (``BUCKETS``) of a product's price; NULL without one."""
    return Case(
        *(When(_bucket(low, high), then=Value(index)) for index, (low, high) in enumerate(BUCKETS)),
        default=None,
        output_field=IntegerField(),
    )


def _stars() -> Case:
    """The highest "N stars & up" a product's rating reaches; 0 without one."""
    return Case(
        *(
            When(rating_average__gte=n, then=Value(n))
            for n in sorted(RATING_MINIMUMS, reverse=True)
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def _bucket(low: Decimal, high: Decimal | None) -> Q:
    return Q(price__gte=low) if high is None else Q(price__gte=low, price__lt=high)


def _categories(children: list[Category], counts: dict[int, int]) -> Facet:
    values = tuple(
        FacetValue(value=child.slug, label=child.name, count=counts[child.pk])
        for child in children
        if counts.get(child.pk)
    )
    return Facet(param="category", name="Category", values=values)


def _brands(rows: list[tuple], query: ListingQuery) -> Facet:
    values = tuple(
        FacetValue(value=slug, label=label, count=n, selected=slug in query.brands)
        for _code, _name, slug, label, n in sorted(rows, key=lambda row: row[3])
    )
    return Facet(param="brand", name="Brand", values=values)


def _attributes(rows: list[tuple], query: ListingQuery) -> list[Facet]:
    selected = {wanted.code: wanted.slugs for wanted in query.attributes}
    names: dict[str, str] = {}
    counts: dict[str, dict[str, list]] = defaultdict(dict)
    for code, name, slug, value, n in rows:
        names.setdefault(code, name)
        entry = counts[code].setdefault(slug, [value, 0])
        entry[1] = max(entry[1], n)  # same value in several product types: the larger count
    return [
        Facet(
            param=f"attr_{code}",
            name=names[code],
            values=tuple(
                FacetValue(
                    value=slug, label=value, count=n, selected=slug in selected.get(code, ())
                )
                for slug, (value, n) in sorted(counts[code].items(), key=lambda item: item[1][0])
            ),
        )
        for code in sorted(counts, key=lambda code: names[code])
    ]


def _price_bucket(low: Decimal, high: Decimal | None) -> str:
    return f"{low}-{high if high is not None else ''}"


def _prices(counts: dict[int, int], query: ListingQuery) -> Facet:
    values = tuple(
        FacetValue(
            value=_price_bucket(low, high),
            label=f"{low} to {high} {query.currency}" if high else f"{low}+ {query.currency}",
            count=counts[index],
            selected=(query.price_min, query.price_max) == (low, high),
        )
        for index, (low, high) in enumerate(BUCKETS)
        if counts.get(index)
    )
    return Facet(param="price", name="Price", values=values)


def _stock(count: int, query: ListingQuery) -> Facet:
    values = (FacetValue(value="1", label="In stock", count=count, selected=query.in_stock),)
    return Facet(param="in_stock", name="Availability", values=values if count else ())


def _ratings(stars: dict[int, int], query: ListingQuery) -> Facet:
    """ "4 stars & up" and the like, from the projected average of published reviews.

    ``stars`` counts each product once, under the highest minimum it reaches.
    """
    values = []
    for n in RATING_MINIMUMS:
        count = sum(products for reached, products in stars.items() if reached >= n)
        if count:
            label = f"{n} star{'s' if n > 1 else ''} & up"
            values.append(
                FacetValue(value=str(n), label=label, count=count, selected=query.rating_min == n)
            )
    return Facet(param="rating", name="Customer rating", values=tuple(values))
