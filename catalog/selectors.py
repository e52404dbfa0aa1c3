"""Read queries of the catalog, with constant query counts, returning DTOs."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Max,
    Q,
    QuerySet,
)
from django.utils import timezone

from catalog import cache, categories, documents, facets, search
from catalog.dtos import (
    CatalogVersion,
    CategoryDetail,
    CategoryNode,
    Facet,
    ListingQuery,
    ListingResult,
    ProductDetail,
    ProductPage,
    ProductSummary,
    Sort,
)
from catalog.models import (
    Category,
    CategorySlugRedirect,
    Product,
    ProductSlugRedirect,
    ProductVariant,
    SkuPrice,
    SkuStock,
)


def visible() -> QuerySet[Product]:
    """Products shoppers may see: published, from their publish date on."""
    return Product.objects.filter(status=Product.Status.PUBLISHED, published_at__lte=timezone.now())


def with_offer_projection(queryset: QuerySet[Product], currency: str) -> QuerySet[Product]:
    """Annotate ``price``, the lowest variant price in ``currency`` (search projection).

    One indexed LEFT JOIN to ``ListingPrice``; ``in_stock`` is a column of
    the product, kept by the same projection.
    """
    return queryset.annotate(
        listing_price=FilteredRelation(
            "listing_prices", condition=Q(listing_prices__currency=currency)
        ),
        price=F("listing_price__amount"),
    )


def _tree() -> categories.Tree:
    """The category tree for shoppers' reads, cached until a category changes."""
    return cache.tree(categories.load)


# --- DTOs ---------------------------------------------------------------------


#: The product columns a card is made of (``_summaries``): a listing reads only these, so
#: that the thousands of rows a search ranks for its page do not carry the search vector,
#: description and keywords through the sort.
CARD_FIELDS = ("sku", "title", "slug", "category", "document", "rating_average", "rating_count")


def _summaries(
    products: list[Product], tree: categories.Tree, *, with_sale: bool = False
) -> list[ProductSummary]:
    """Cards from the products' rows and documents, in their order: no other query
    (``with_sale`` reads ``status`` and ``published_at``, which listings leave deferred)."""
    found = documents.ensure(products)
    now = timezone.now() if with_sale else None
    return [
        ProductSummary(
            id=product.pk,
            sku=product.sku,
            title=product.title,
            slug=product.slug,
            category=tree.ref(product.category_id),
            brand=found[product.pk].brand,
            variant_skus=tuple(v.sku for v in found[product.pk].variants),
            variant_names=tuple(v.name for v in found[product.pk].variants),
            image=found[product.pk].images[0] if found[product.pk].images else None,
            rating_average=product.rating_average,
            rating_count=product.rating_count,
            on_sale=_on_sale(product, now) if now else None,
        )
        for product in products
    ]


def _on_sale(product: Product, now) -> bool:
    return (
        product.status == Product.Status.PUBLISHED
        and product.published_at is not None
        and product.published_at <= now
    )


def _detail(product: Product, tree: categories.Tree) -> ProductDetail:
    (document,) = documents.ensure([product]).values()
    return ProductDetail(
        id=product.pk,
        sku=product.sku,
        title=product.title,
        slug=product.slug,
        description=product.description,
        category=tree.ref(product.category_id),
        brand=document.brand,
        breadcrumbs=tree.breadcrumbs(product.category_id),
        secondary_categories=tuple(
            ref for ref in map(tree.ref, document.secondary_category_ids) if ref
        ),
        product_type=document.product_type,
        attributes=document.attributes,
        variants=document.variants,
        images=document.images,
        status=product.status,
        published_at=product.published_at,
        updated_at=product.updated_at,
    )


# --- Single products ----------------------------------------------------------


def product_detail(
    *,
    slug: str | None = None,
    sku: str | None = None,
    product_id: int | None = None,
    include_unpublished: bool = False,
) -> ProductDetail | None:
    """The product with this slug (current or former), SKU (product code or a
    variant's) or id, or None. Shoppers see published products only."""
    base = Product.objects.all() if include_unpublished else visible()
    product = None
    if product_id is not None:
        product = base.filter(pk=product_id).first()
    elif slug is not None:
        product = (
            base.filter(slug=slug).first()
            or base.filter(
                pk__in=ProductSlugRedirect.objects.filter(old_slug=slug).values("product_id")
            ).first()
        )
    elif sku is not None:
        product = (
            base.filter(sku=sku).first()
            or base.filter(
                pk__in=ProductVariant.objects.filter(sku=sku).values("product_id")
            ).first()
        )
    return _detail(product, _tree()) if product else None


def product_details_by_id(*, ids: list[int]) -> dict[int, ProductDetail]:
    tree = _tree()
    return {product.pk: _detail(product, tree) for product in Product.objects.filter(pk__in=ids)}


def product_summaries_by_sku(
    *, skus: list[str], include_unpublished: bool = True
) -> dict[str, ProductSummary]:
    """Keyed by each SKU asked for, whether a product code or a variant SKU.

    One query: the products whose code is asked for or that own an asked
    variant SKU (a subquery); which variant SKU is whose comes from their
    documents.
    """
    owning = ProductVariant.objects.filter(sku__in=skus).values("product_id")
    candidates = Product.objects.all() if include_unpublished else visible()
    products = list(candidates.filter(Q(sku__in=skus) | Q(pk__in=owning)))
    summaries = _summaries(products, _tree(), with_sale=True)
    asked = set(skus)
    found = {summary.sku: summary for summary in summaries if summary.sku in asked}
    for summary in summaries:
        for sku in asked.intersection(summary.variant_skus):
            found.setdefault(sku, summary)
    return found


def product_summaries_by_id(*, ids: list[int]) -> dict[int, ProductSummary]:
    products = list(Product.objects.filter(pk__in=ids))
    return {summary.id: summary for summary in _summaries(products, _tree())}


def product_page(*, page: int, per_page: int) -> ProductPage:
    return listing(query=ListingQuery(sort=Sort.TITLE, page=page, per_page=per_page)).page


# --- Categories ---------------------------------------------------------------


def category_tree() -> tuple[CategoryNode, ...]:
    return _tree().nodes()


def category_detail(*, slug: str) -> CategoryDetail | None:
    """The category with this slug, current or former; None if there is none."""
    tree = _tree()
    category = tree.by_slug.get(slug)
    if category is None:
        redirect = CategorySlugRedirect.objects.filter(old_slug=slug).first()
        category = tree.by_id.get(redirect.category_id) if redirect else None
    if category is None:
        return None
    return CategoryDetail(
        slug=category.slug,
        name=category.name,
        description=category.description,
        breadcrumbs=tree.breadcrumbs(category.pk),
        children=tuple(tree.ref(child.pk) for child in tree.children[category.pk]),
    )


def catalog_version() -> CatalogVersion:
    """A tag that changes whenever any listing could change, and when that last happened.

    Covers edits (``updated_at``), deletions (counts), products going live
    at their publish date, and the price/stock projection (listings filter
    and sort by it), and reviews' rating projection. Used for ETag and Last-Modified.
    """
    now = timezone.now()
    live = Q(status=Product.Status.PUBLISHED, published_at__lte=now)
    products = Product.objects.aggregate(
        n=Count("pk"),
        live=Count("pk", filter=live),
        edited=Max("updated_at"),
        went_live=Max("published_at", filter=live),
        rated=Max("rating_changed_at"),
    )
    cats = Category.objects.aggregate(n=Count("pk"), edited=Max("updated_at"))
    prices = SkuPrice.objects.aggregate(at=Max("changed_at"))["at"]
    stock = SkuStock.objects.aggregate(at=Max("changed_at"))["at"]
    times = [products["edited"], products["went_live"], cats["edited"], prices, stock]
    times.append(products["rated"])
    version = (products["n"], products["live"], cats["n"], *times)
    return CatalogVersion(tag=repr(version), last_modified=max(filter(None, times), default=None))


# --- Listings and search ------------------------------------------------------

#: Each sort as its terms: (column or annotation, descending, NULLs last), the primary key
#: last. Listings order by them in the ORM, and the facets' query picks a page by them.
ORDERS = {
    Sort.RELEVANCE: (
        ("relevance", True, False),
        ("published_at", True, False),
        ("pk", True, False),
    ),
    Sort.NEWEST: (("published_at", True, False), ("pk", True, False)),
    Sort.TITLE: (("title", False, False), ("pk", False, False)),
    Sort.PRICE_ASC: (("price", False, True), ("pk", False, False)),
    Sort.PRICE_DESC: (("price", True, True), ("pk", False, False)),
    Sort.RATING: (
        ("rating_average", True, True),
        ("rating_count", True, False),
        ("pk", False, False),
    ),
}


def _ordered(queryset: QuerySet[Product], sort: Sort) -> QuerySet[Product]:
    return queryset.order_by(
        *(
            F(name).desc(nulls_last=nulls_last or None)
            if descending
            else F(name).asc(nulls_last=nulls_last or None)
            for name, descending, nulls_last in ORDERS[sort]
        )
    )


def listing(*, query: ListingQuery, with_facets: bool = False) -> ListingResult:
    """One page of products for a category page, the home page or a search.

    Query count is constant in the page size and the filters: the tree,
    on PostgreSQL a search's words checked and corrected (catalog/search.py),
    then with facets one query for the facets, the count and which products
    the page shows (facets.compute: the matches are read once, not again
    to rank them for the page), and one for those products by id (with
    their documents, ``CARD_FIELDS`` only); without facets, the count and
    the page.
    """
    tree = _tree()
    base = visible()
    category = tree.by_slug.get(query.category) if query.category else None
    if query.category and category is None:
        base = base.none()
    elif category is not None:
        base = base.filter(facets.in_categories(tree.subtree_ids(category.pk)))
    corrected = None
    if query.q:
        base, corrected = search.match(base, query.q)
    base = with_offer_projection(base, query.currency)
    results = facets.apply_filters(base, query)
    paginator = Paginator(
        _ordered(results, query.effective_sort).only(*CARD_FIELDS), query.per_page
    )
    if not with_facets:
        current = paginator.get_page(query.page)
        products = list(current.object_list)
        return _result(query=query, current=current, products=products, found=(),
                       corrected=corrected, tree=tree)  # fmt: skip
    window = facets.Window(
        order=ORDERS[query.effective_sort],
        offset=(max(query.page, 1) - 1) * query.per_page,
        limit=query.per_page,
    )
    found, total, ids = facets.compute(base, query, tree, category, window)
    paginator.count = total  # counted with the facets, in the same pass
    current = paginator.get_page(query.page)
    if current.start_index() - 1 == window.offset or not total:
        by_id = Product.objects.only(*CARD_FIELDS).in_bulk(ids)
        products = [by_id[pk] for pk in ids if pk in by_id]
    else:  # a page number out of range: the last page, read as it is shown
        products = list(current.object_list)
    return _result(query=query, current=current, products=products, found=found,
                   corrected=corrected, tree=tree)  # fmt: skip


def _result(
    *,
    query: ListingQuery,
    current: Page,
    products: list[Product],
    found: tuple[Facet, ...],
    corrected: str | None,
    tree: categories.Tree,
) -> ListingResult:
    page = ProductPage(
        items=tuple(_summaries(products, tree)),
        number=current.number,
        page_count=current.paginator.num_pages,
        total=current.paginator.count,
    )
    return ListingResult(page=page, facets=found, query=query, corrected_q=corrected)
