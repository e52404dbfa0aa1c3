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
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from catalog import categories
from catalog.dtos import Facet, FacetValue, ListingQuery
from catalog.models import Attribute, Category, Product, ProductAttributeValue, ProductVariant
from catalog.params import RATING_MINIMUMS

#: Price facet buckets, in the listing's currency (the last one is open-ended).
PRICE_EDGES = (Decimal(0), Decimal(10), Decimal(25), Decimal(50), Decimal(100), Decimal(250))


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


def _all_but(conditions: dict[str, Q], skip: str | None) -> Q:
    combined = Q()
    for name, condition in conditions.items():
        if name != skip:
            combined &= condition
    return combined


def apply_filters(
    queryset: QuerySet[Product], query: ListingQuery, *, skip: str | None = None
) -> QuerySet[Product]:
    """``queryset`` narrowed by the query's filters, except the one named ``skip``."""
    return queryset.filter(_all_but(_conditions(query), skip))


def compute(
    base: QuerySet[Product],
    query: ListingQuery,
    tree: categories.Tree,
    category: Category | None,
) -> tuple[tuple[Facet, ...], int]:
    """Every facet, and how many products match, in two queries whatever the filters:

    one pass over ``base`` counting the results, categories, price
    buckets, stock and ratings, each count under every selected filter but
    its own; and one UNION of the brand and attribute value counts.
    """
    conditions = _conditions(query)
    children = tree.children[category.pk if category else None]
    buckets = list(itertools.pairwise([*PRICE_EDGES, None]))
    everything = _all_but(conditions, None)
    counts = base.order_by().aggregate(
        total=Count("pk", filter=everything),
        **{
            f"c{child.pk}": Count(
                "pk", filter=everything & in_categories(tree.subtree_ids(child.pk))
            )
            for child in children
        },
        **{
            f"b{index}": Count("pk", filter=_all_but(conditions, "price") & _bucket(low, high))
            for index, (low, high) in enumerate(buckets)
        },
        stock=Count("pk", filter=_all_but(conditions, "in_stock") & Q(in_stock=True)),
        **{
            f"r{n}": Count("pk", filter=_all_but(conditions, "rating") & Q(rating_average__gte=n))
            for n in RATING_MINIMUMS
        },
    )
    rows = _value_counts(base, query, conditions)
    found = [
        _categories(children, counts),
        _brands([row for row in rows if row[0] == _BRAND], query),
        *_attributes([row for row in rows if row[0] != _BRAND], query),
        _prices(buckets, counts, query),
        _stock(counts["stock"], query),
        _ratings(counts, query),
    ]
    return tuple(facet for facet in found if facet.values), counts["total"]


def _bucket(low: Decimal, high: Decimal | None) -> Q:
    return Q(price__gte=low) if high is None else Q(price__gte=low, price__lt=high)


def _ids(queryset: QuerySet[Product]) -> QuerySet:
    return queryset.order_by().values("pk")


#: The "attribute code" of brand rows in ``_value_counts`` (no attribute code has a space).
_BRAND = " brand"


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _counted(queryset: QuerySet, product: str, **columns) -> QuerySet:
    """(code, name, slug, label, products) rows of ``queryset`` grouped by ``columns``."""
    return (
        queryset.order_by()
        .annotate(**{f"facet_{key}": value for key, value in columns.items()})
        .values(*(f"facet_{key}" for key in columns))
        .annotate(n=Count(product, distinct=True))
        .values_list(*(f"facet_{key}" for key in columns), "n")
    )


def _choice_counts(
    results: QuerySet[Product], codes: set[str] | None = None, *, excluded: set[str] = frozenset()
) -> list[QuerySet]:
    """Counts of choice and yes/no values in ``results``, on products and on variants,
    of the attributes ``codes`` (default all) but the ``excluded`` ones."""
    ids = _ids(results)
    on_products = ProductAttributeValue.objects.filter(product__in=ids, choice__isnull=False)
    yes_no = ProductAttributeValue.objects.filter(
        product__in=ids, attribute__kind=Attribute.Kind.BOOLEAN, boolean__isnull=False
    )
    on_variants = ProductVariant.option_values.through.objects.filter(
        productvariant__product__in=ids
    )
    if codes is not None:
        on_products = on_products.filter(attribute__code__in=codes)
        on_variants = on_variants.filter(attributechoice__attribute__code__in=codes)
        yes_no = yes_no.filter(attribute__code__in=codes)
    if excluded:
        on_products = on_products.exclude(attribute__code__in=excluded)
        on_variants = on_variants.exclude(attributechoice__attribute__code__in=excluded)
        yes_no = yes_no.exclude(attribute__code__in=excluded)
    yes = Q(boolean=True)
    return [
        _counted(on_products, "product", code=F("attribute__code"), name=F("attribute__name"),
                 slug=F("choice__slug"), label=F("choice__value")),
        _counted(on_variants, "productvariant__product",
                 code=F("attributechoice__attribute__code"),
                 name=F("attributechoice__attribute__name"),
                 slug=F("attributechoice__slug"), label=F("attributechoice__value")),
        _counted(yes_no, "product", code=F("attribute__code"), name=F("attribute__name"),
                 slug=Case(When(yes, then=_text("yes")), default=_text("no")),
                 label=Case(When(yes, then=_text("Yes")), default=_text("No"))),
    ]  # fmt: skip


def _value_counts(
    base: QuerySet[Product], query: ListingQuery, conditions: dict[str, Q]
) -> list[tuple]:
    """Brand and attribute value counts, in one UNION query.

    Each is counted under every selected filter but its own facet's (see
    the module docstring); selected attributes are counted on their own.
    """
    brands = Product.objects.filter(
        pk__in=_ids(base.filter(_all_but(conditions, "brand"))), brand__isnull=False
    )
    selected = {wanted.code for wanted in query.attributes}
    parts = [
        _counted(brands, "pk", code=_text(_BRAND), name=_text("Brand"),
                 slug=F("brand__slug"), label=F("brand__name")),
        *_choice_counts(base.filter(_all_but(conditions, None)), excluded=selected),
    ]  # fmt: skip
    for code in selected:
        parts += _choice_counts(base.filter(_all_but(conditions, f"attr_{code}")), {code})
    return list(parts[0].union(*parts[1:], all=True))


def _categories(children: list[Category], counts: dict) -> Facet:
    values = tuple(
        FacetValue(value=child.slug, label=child.name, count=counts[f"c{child.pk}"])
        for child in children
        if counts[f"c{child.pk}"]
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


def _prices(buckets: list[tuple], counts: dict, query: ListingQuery) -> Facet:
    values = tuple(
        FacetValue(
            value=_price_bucket(low, high),
            label=f"{low} to {high} {query.currency}" if high else f"{low}+ {query.currency}",
            count=counts[f"b{index}"],
            selected=(query.price_min, query.price_max) == (low, high),
        )
        for index, (low, high) in enumerate(buckets)
        if counts[f"b{index}"]
    )
    return Facet(param="price", name="Price", values=values)


def _stock(count: int, query: ListingQuery) -> Facet:
    values = (FacetValue(value="1", label="In stock", count=count, selected=query.in_stock),)
    return Facet(param="in_stock", name="Availability", values=values if count else ())


def _ratings(counts: dict, query: ListingQuery) -> Facet:
    """ "4 stars & up" and the like, from the projected average of published reviews."""
    values = tuple(
        FacetValue(
            value=str(n),
            label=f"{n} star{'s' if n > 1 else ''} & up",
            count=counts[f"r{n}"],
            selected=query.rating_min == n,
        )
        for n in RATING_MINIMUMS
        if counts[f"r{n}"]
    )
    return Facet(param="rating", name="Customer rating", values=values)
