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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

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


def apply_filters(
    queryset: QuerySet[Product], query: ListingQuery, *, skip: str | None = None
) -> QuerySet[Product]:
    """``queryset`` narrowed by the query's filters, except the one named ``skip``."""
    if query.brands and skip != "brand":
        queryset = queryset.filter(brand__slug__in=query.brands)
    for wanted in query.attributes:
        if skip != f"attr_{wanted.code}":
            queryset = queryset.filter(_has_choice(wanted.code, wanted.slugs))
    if skip != "price":
        if query.price_min is not None:
            queryset = queryset.filter(price__gte=query.price_min)
        if query.price_max is not None:
            queryset = queryset.filter(price__lt=query.price_max)
    if query.in_stock and skip != "in_stock":
        queryset = queryset.filter(in_stock=True)
    if query.rating_min is not None and skip != "rating":
        queryset = queryset.filter(rating_average__gte=query.rating_min)
    return queryset


def compute(
    base: QuerySet[Product],
    query: ListingQuery,
    tree: categories.Tree,
    category: Category | None,
) -> tuple[Facet, ...]:
    results = apply_filters(base, query)
    found = [
        _categories(results, tree, category),
        _brands(apply_filters(base, query, skip="brand"), query),
    ]
    found.extend(_attributes(base, results, query))
    found.append(_prices(apply_filters(base, query, skip="price"), query))
    found.append(_stock(apply_filters(base, query, skip="in_stock"), query))
    found.append(_ratings(apply_filters(base, query, skip="rating"), query))
    return tuple(facet for facet in found if facet.values)


def _ids(queryset: QuerySet[Product]) -> QuerySet:
    return queryset.order_by().values("pk")


def _categories(
    results: QuerySet[Product], tree: categories.Tree, current: Category | None
) -> Facet:
    children = tree.children[current.pk if current else None]
    counts = (
        Product.objects.filter(pk__in=_ids(results)).aggregate(
            **{
                f"c{child.pk}": Count("pk", filter=in_categories(tree.subtree_ids(child.pk)))
                for child in children
            }
        )
        if children
        else {}
    )
    values = tuple(
        FacetValue(value=child.slug, label=child.name, count=counts[f"c{child.pk}"])
        for child in children
        if counts.get(f"c{child.pk}")
    )
    return Facet(param="category", name="Category", values=values)


def _brands(results: QuerySet[Product], query: ListingQuery) -> Facet:
    rows = (
        Product.objects.filter(pk__in=_ids(results), brand__isnull=False)
        .values("brand__slug", "brand__name")
        .annotate(n=Count("pk"))
        .order_by("brand__name")
    )
    values = tuple(
        FacetValue(
            value=row["brand__slug"],
            label=row["brand__name"],
            count=row["n"],
            selected=row["brand__slug"] in query.brands,
        )
        for row in rows
    )
    return Facet(param="brand", name="Brand", values=values)


def _choice_counts(results: QuerySet[Product], codes: set[str] | None = None) -> list[tuple]:
    """(code, attribute name, slug, label, products) for choice and yes/no values in ``results``."""
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
    rows = [
        (r["attribute__code"], r["attribute__name"], r["choice__slug"], r["choice__value"], r["n"])
        for r in on_products.values(
            "attribute__code", "attribute__name", "choice__slug", "choice__value"
        ).annotate(n=Count("product", distinct=True))
    ]
    rows += [
        (r["attributechoice__attribute__code"], r["attributechoice__attribute__name"],
         r["attributechoice__slug"], r["attributechoice__value"], r["n"])
        for r in on_variants.values(
            "attributechoice__attribute__code", "attributechoice__attribute__name",
            "attributechoice__slug", "attributechoice__value",
        ).annotate(n=Count("productvariant__product", distinct=True))
    ]  # fmt: skip
    rows += [
        (r["attribute__code"], r["attribute__name"], "yes" if r["boolean"] else "no",
         "Yes" if r["boolean"] else "No", r["n"])
        for r in yes_no.values("attribute__code", "attribute__name", "boolean").annotate(
            n=Count("product", distinct=True)
        )
    ]  # fmt: skip
    return rows


def _attributes(
    base: QuerySet[Product], results: QuerySet[Product], query: ListingQuery
) -> list[Facet]:
    selected = {wanted.code: wanted.slugs for wanted in query.attributes}
    rows = [row for row in _choice_counts(results) if row[0] not in selected]
    for code in selected:  # counted without their own filter (see module docstring)
        rows += _choice_counts(apply_filters(base, query, skip=f"attr_{code}"), {code})
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


def _prices(results: QuerySet[Product], query: ListingQuery) -> Facet:
    edges = [*PRICE_EDGES, None]
    buckets = list(itertools.pairwise(edges))
    filters = {}
    for index, (low, high) in enumerate(buckets):
        condition = Q(price__gte=low) if high is None else Q(price__gte=low, price__lt=high)
        filters[f"b{index}"] = Count("pk", filter=condition)
    counts = results.order_by().aggregate(**filters)
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


def _stock(results: QuerySet[Product], query: ListingQuery) -> Facet:
    count = results.order_by().aggregate(n=Count("pk", filter=Q(in_stock=True)))["n"]
    values = (FacetValue(value="1", label="In stock", count=count, selected=query.in_stock),)
    return Facet(param="in_stock", name="Availability", values=values if count else ())


def _ratings(results: QuerySet[Product], query: ListingQuery) -> Facet:
    """ "4 stars & up" and the like, from the projected average of published reviews."""
    counts = results.order_by().aggregate(
        **{f"r{n}": Count("pk", filter=Q(rating_average__gte=n)) for n in RATING_MINIMUMS}
    )
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
