"""Write use cases of the catalog, each in one transaction, publishing events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import reset_queries
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from catalog import (
    cache,
    categories,
    documents,
    exchange,
    facets,
    indexing,
    projection,
    tasks,
    upsert,
)
from catalog.dtos import AttributeSpec, ImageInput, ProductInput, UpsertReport
from catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    CategorySlugRedirect,
    Product,
    ProductImage,
    ProductSlugRedirect,
    ProductType,
    ProductVariant,
    SkuPrice,
    SkuStock,
)
from catalog.upsert import validate
from catalog.upsert.announce import announce_removed, announce_saved
from kernel.databases import atomic, connection_of, database_of
from kernel.inserts import upsert_newer


def products_upsert(
    *, inputs: list[ProductInput], dry_run: bool = False, skip_invalid: bool = False
) -> UpsertReport:
    """Create or update products and variants by SKU in one transaction (catalog.upsert)."""
    return upsert.upsert(inputs=inputs, dry_run=dry_run, skip_invalid=skip_invalid)


#: Products an import writes per transaction, each batch with its events.
IMPORT_BATCH = 1000


def products_import(
    *,
    read: Callable[[], Iterable[exchange.Parsed]],
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: upsert.ProgressCallback | None = None,
) -> UpsertReport:
    """Import a file read a batch at a time; ``read()`` reads it anew (it is read twice).

    First every batch is checked and nothing kept but what makes codes,
    slugs and variant SKUs unique across the file (`validate.Seen`): a file
    with a problem writes nothing unless ``skip_invalid``, as when an import
    was one transaction. Then each batch is written in a transaction of its
    own, with its events, so memory and a transaction's size and locks are
    a batch's whatever the file's (`IMPORT_BATCH`). A product refused only by
    then (the catalog changed between the passes) is reported, not written.
    Errors are the file's rows and columns.
    """
    progress = progress or (lambda stage, done, total: None)
    checked, products = _import_pass(read, write=False, progress=progress)
    if dry_run or (checked.errors and not skip_invalid):
        return checked
    return _import_pass(read, write=True, progress=progress, total=products)[0]


def _import_pass(
    read, *, write: bool, progress: upsert.ProgressCallback, total: int | None = None
) -> tuple[UpsertReport, int]:
    """Check (or write) every batch; the report and how many products were read."""
    seen, errors, counts = validate.Seen(), [], Counter()
    for batch in read():
        good = batch.without_bad_rows()
        report = upsert.upsert(inputs=good.inputs, dry_run=not write, skip_invalid=True, seen=seen)
        errors += [*batch.errors, *(good.locate(error) for error in report.errors)]
        counts.update(created=report.created, updated=report.updated, unchanged=report.unchanged)
        progress("writing" if write else "checking", seen.first, total or seen.first)
        # With DEBUG on, Django keeps each statement's text: a batch's inserts are megabytes.
        reset_queries()
    return UpsertReport(**counts, errors=tuple(errors), written=write), seen.first


@atomic("catalog")
def product_save(*, product: Product) -> str | None:
    """Save a product edited in a form; return its status before (None if new).

    The caller saves the form's inlines next and then calls
    ``product_after_form_save``, inside one enclosing transaction (the
    admin's), so the product, its inlines and its events commit together.
    """
    product.full_clean()
    before = (
        Product.objects.select_for_update().filter(pk=product.pk).values("slug", "status").first()
        if product.pk
        else None
    )
    if product.status == Product.Status.PUBLISHED and product.published_at is None:
        product.published_at = timezone.now()
    product.save()
    _remember_old_slug(before["slug"] if before else None, product)
    return before["status"] if before else None


def _remember_old_slug(old_slug: str | None, product: Product) -> None:
    ProductSlugRedirect.objects.filter(old_slug=product.slug).delete()
    if old_slug and old_slug != product.slug:
        ProductSlugRedirect.objects.update_or_create(
            old_slug=old_slug, defaults={"product": product}
        )


@atomic("catalog")
def product_after_form_save(*, product: Product, previous_status: str | None) -> None:
    """Give a product without variants its default one, reindex it, announce it."""
    if not product.variants.exists():
        ProductVariant.objects.create(product=product, sku=product.sku)
    indexing.reindex(product_ids=[product.pk])
    projection.refresh(product_ids=[product.pk])
    documents.refresh(product_ids=[product.pk])
    announce_saved(product=product, previous_status=previous_status)


@atomic("catalog")
def products_set_status(*, product_ids: list[int], status: str) -> int:
    """Publish or archive products in bulk (admin action); returns how many changed."""
    products = list(
        Product.objects.select_for_update(of=("self",))
        .filter(pk__in=product_ids)
        .exclude(status=status)
        .select_related("brand")
        .order_by("pk")
    )
    now = timezone.now()
    tree = categories.load()
    for product in products:
        previous = product.status
        product.status = status
        if status == Product.Status.PUBLISHED and product.published_at is None:
            product.published_at = now
        product.save(update_fields=["status", "published_at", "updated_at"])
        announce_saved(product=product, previous_status=previous, tree=tree)
    return len(products)


@atomic("catalog")
def category_upsert(
    *, slug: str, name: str, parent_slug: str | None = None, position: int = 0
) -> Category:
    parent = Category.objects.get(slug=parent_slug) if parent_slug else None
    category = Category.objects.filter(slug=slug).first()
    wanted = {"name": name, "parent": parent, "position": position}
    if category and all(getattr(category, key) == value for key, value in wanted.items()):
        return category
    category, _ = Category.objects.update_or_create(slug=slug, defaults=wanted)
    cache.structure_changed()
    return category


@atomic("catalog")
def category_save(*, category: Category) -> Category:
    """Save a category edited in the admin, keeping its old slug as a redirect.

    Products' search keywords contain category names, so a rename or move
    reindexes the products under it; and their events carry category slugs
    with ancestors (pricing targets promotions by them), so a new slug or a
    new parent is announced for each of those products.
    """
    category.full_clean()
    before = Category.objects.filter(pk=category.pk).values("slug", "name", "parent_id").first()
    category.save()
    cache.structure_changed()
    CategorySlugRedirect.objects.filter(old_slug=category.slug).delete()
    if before is None:
        return category
    if before["slug"] != category.slug:
        CategorySlugRedirect.objects.update_or_create(
            old_slug=before["slug"], defaults={"category": category}
        )
    path_changed = (before["slug"], before["parent_id"]) != (category.slug, category.parent_id)
    if path_changed or before["name"] != category.name:
        tree = categories.load()
        products = Product.objects.filter(facets.in_categories(tree.subtree_ids(category.pk)))
        indexing.reindex(product_ids=list(products.values_list("pk", flat=True)))
        if path_changed:
            for product in products.select_related("brand").order_by("pk"):
                announce_saved(product=product, previous_status=product.status, tree=tree)
    return category


@atomic("catalog")
def products_delete(*, product_ids: list[int]) -> int:
    """Delete products (admin), announcing each as archived first so no one sells it."""
    tree = categories.load()
    products = list(
        Product.objects.select_for_update(of=("self",))
        .filter(pk__in=product_ids)
        .select_related("brand")
        .order_by("pk")
    )
    for product in products:
        announce_removed(product=product, tree=tree)
    Product.objects.filter(pk__in=[p.pk for p in products]).delete()
    return len(products)


@atomic("catalog")
def product_type_upsert(*, slug: str, name: str, attributes: list[AttributeSpec]) -> ProductType:
    """Create or update a product type and its attributes, in the order given.

    Existing choices are kept; missing ones are added.
    """
    product_type, _ = ProductType.objects.update_or_create(slug=slug, defaults={"name": name})
    for position, spec in enumerate(attributes):
        attribute, _ = Attribute.objects.update_or_create(
            product_type=product_type,
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "is_variant_option": spec.is_variant_option,
                "position": position,
            },
        )
        existing = set(attribute.choices.values_list("slug", flat=True))
        AttributeChoice.objects.bulk_create(
            [
                AttributeChoice(attribute=attribute, value=value, slug=slugify(value), position=i)
                for i, value in enumerate(spec.choices)
                if slugify(value) not in existing
            ]
        )
    structure_saved(products=Q(product_type=product_type))
    return product_type


@atomic("catalog")
def structure_saved(*, products: Q) -> None:
    """A brand, product type or attribute was written: rewrite the product documents
    that copy its names (documents.py), and forget what shoppers' reads cached."""
    documents.refresh_where(products)
    cache.structure_changed()


@atomic("catalog")
def product_images_replace(*, product_sku: str, images: list[ImageInput]) -> list[ProductImage]:
    """Give a product these images, in this order.

    Unchanged when the product already has images with the same file names
    and alt texts in the same order (the demo seed runs on every start).
    Thumbnails are made by a task after commit.
    """
    product = Product.objects.get(sku=product_sku)
    current = list(product.images.all())
    same = [(i.source_name, i.alt_text) for i in current] == [
        (given.file_name, given.alt_text) for given in images
    ]
    if same:
        return current
    cache.products_changed([product.sku])
    product.images.all().delete()
    created = []
    for position, given in enumerate(images):
        image = ProductImage(
            product=product, alt_text=given.alt_text, position=position, source_name=given.file_name
        )
        image.image.save(given.file_name, ContentFile(given.content), save=False)
        image.save()
        created.append(image)
    documents.refresh(product_ids=[product.pk])
    for image in created:
        tasks.schedule_thumbnails(image_id=image.pk)
    return created


def price_project(*, sku: str, currency: str, amount: Decimal, changed_at: datetime) -> bool:
    """Record a SKU's price for search, unless a later one is already known.

    Returns whether the projection changed. Safe to call twice with the
    same event and with events out of order (the newest ``changed_at`` wins).
    """
    row = SkuPrice(sku=sku, currency=currency, amount=amount, changed_at=changed_at)
    return bool(prices_project(prices=[row]))


@atomic("catalog")
def prices_project(*, prices: list[SkuPrice]) -> list[SkuPrice]:
    """``price_project`` for many prices (a batch of pricing's events); return those
    that changed the projection.

    A few statements whatever their number, where one at a time took a
    lock, a read, a write and a product refresh each: during an import the
    relay delivers them by the hundred (kernel.subscribers, ``batch``).
    """
    changed = upsert_newer(
        rows=prices, using=database_of("catalog"), unique=("sku", "currency"), version="changed_at"
    )
    projection.refresh_for_skus(skus={row.sku for row in changed})
    return changed


def stock_project(*, sku: str, quantity: int, changed_at: datetime) -> bool:
    """Record a SKU's sellable quantity for search; newest ``changed_at`` wins."""
    return bool(
        stocks_project(stocks=[SkuStock(sku=sku, quantity=quantity, changed_at=changed_at)])
    )


@atomic("catalog")
def stocks_project(*, stocks: list[SkuStock]) -> list[SkuStock]:
    """``stock_project`` for many SKUs at once (``prices_project``'s reasons)."""
    changed = upsert_newer(
        rows=stocks, using=database_of("catalog"), unique=("sku",), version="changed_at"
    )
    projection.refresh_for_skus(skus={row.sku for row in changed})
    return changed


def rating_project(
    *, product_id: int, average: Decimal | None, count: int, changed_at: datetime
) -> bool:
    """Record a product's review rating for search; newest ``changed_at`` wins.

    One conditional update, so a late or repeated event cannot overwrite a
    newer rating. Returns whether the projection changed.
    """
    newer = Q(rating_changed_at__isnull=True) | Q(rating_changed_at__lt=changed_at)
    changed = Product.objects.filter(newer, pk=product_id).update(
        rating_average=average, rating_count=count, rating_changed_at=changed_at
    )
    if changed:
        cache.listings_changed()
    return bool(changed)


#: Tables a bulk import fills; their planner statistics must follow at once.
BULK_TABLES = [
    "catalog_product",
    "catalog_productvariant",
    "catalog_productvariant_option_values",
    "catalog_productattributevalue",
    "catalog_product_secondary_categories",
]


def statistics_refresh() -> None:
    """After a bulk import on PostgreSQL, update the planner's statistics now.

    Autovacuum would, within a minute or so; until then the planner thinks
    the tables are nearly empty and may choose nested loops that take
    seconds on a 10,000-product listing.
    """
    connection = connection_of("catalog")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(BULK_TABLES)}")
