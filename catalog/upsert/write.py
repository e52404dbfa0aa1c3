"""Writing validated plans with bulk statements, inside the caller's transaction.

A few statements per table whatever the number of products: 10,000
products cost a few hundred queries rather than hundreds of thousands.
The written products' documents and search fields (made from the plans,
``derive``) and their price/stock projection are refreshed in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from catalog import indexing, projection
from catalog.models import (
    Brand,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductSlugRedirect,
    ProductVariant,
)
from catalog.upsert import derive, rows
from catalog.upsert.lookup import Among
from catalog.upsert.validate import Known, ProductPlan


@dataclass(frozen=True, slots=True)
class Written:
    """A product as written, and its status before (None if it is new): what to announce."""

    product: Product
    plan: ProductPlan
    previous_status: str | None


def write(plans: list[ProductPlan], known: Known) -> list[Written]:
    """Create or update the products of ``plans`` and everything they own."""
    now = timezone.now()
    brands = _brands({plan.brand_name for plan in plans if plan.brand_name})
    old_ids = [plan.existing.pk for plan in plans if plan.existing]
    variants = _variants(plans)
    images = _images(old_ids)
    relations = {
        plan.input.sku: derive.relations(
            plan,
            known,
            brand=brands.get(plan.brand_name),
            variants=variants[plan.input.sku],
            images=images.get(plan.existing.pk, []) if plan.existing else [],
        )
        for plan in plans
    }
    previous_status = {}
    new, old = [], []
    redirects = []
    for plan in plans:
        item = plan.input
        product = plan.existing or Product(sku=item.sku)
        previous_status[item.sku] = product.status if plan.existing else None
        if plan.existing and product.slug != plan.slug:
            redirects.append(ProductSlugRedirect(old_slug=product.slug, product=product))
        product.title = item.title
        product.slug = plan.slug
        product.description = item.description
        product.category_id = plan.category_id
        product.brand = brands.get(plan.brand_name)
        product.product_type_id = plan.product_type_id
        product.status = item.status
        if item.status == Product.Status.PUBLISHED and product.published_at is None:
            product.published_at = now
        product.updated_at = now
        product.search_keywords = indexing.keywords(product, relations[item.sku], known.tree)
        (old if plan.existing else new).append(product)
    if old:
        Product.objects.bulk_update(
            old,
            ["title", "slug", "description", "category", "brand", "product_type", "status",
             "published_at", "updated_at", "search_keywords"],
            batch_size=1000,
        )  # fmt: skip
    rows.insert(Product, new)
    for product in new:
        product.created_at = now
    products = {product.sku: product for product in [*old, *new]}
    slugs = Among([product.slug for product in products.values()])
    ProductSlugRedirect.objects.filter(old_slug__in=slugs).delete()
    ProductSlugRedirect.objects.bulk_create(redirects, ignore_conflicts=True)
    _write_memberships(plans, products, relations, old_ids)
    _write_variants(products, relations, old_ids)
    derive.store_documents(list(products.values()), relations)
    projection.refresh(product_ids=[product.pk for product in products.values()])
    return [
        Written(
            product=products[plan.input.sku],
            plan=plan,
            previous_status=previous_status[plan.input.sku],
        )
        for plan in plans
    ]


def _brands(names: set[str]) -> dict[str, Brand]:
    by_slug = {slugify(name): name for name in names}
    existing = {b.slug: b for b in Brand.objects.filter(slug__in=by_slug)}
    missing = [
        Brand(name=name, slug=slug) for slug, name in by_slug.items() if slug not in existing
    ]
    Brand.objects.bulk_create(missing, batch_size=1000)
    found = {**existing, **{b.slug: b for b in missing}}
    return {name: found[slugify(name)] for name in names}


def _variants(plans: list[ProductPlan]) -> dict[str, list[ProductVariant]]:
    """Each product's variants as they will be stored, in its plan's order: stored ones updated.

    Only a product already stored can have stored variants (validation saw
    to that), so a batch of new products asks nothing.
    """
    skus = [variant.sku for plan in plans if plan.existing for variant in plan.variants]
    existing = {v.sku: v for v in ProductVariant.objects.filter(sku__in=Among(skus))}
    variants = {}
    for plan in plans:
        variants[plan.input.sku] = []
        for position, planned in enumerate(plan.variants):
            variant = existing.get(planned.sku) or ProductVariant(sku=planned.sku)
            variant.name, variant.position = planned.name, position
            variants[plan.input.sku].append(variant)
    return variants


def _images(product_ids: list[int]) -> dict[int, list[ProductImage]]:
    """The images of stored products, which their documents list (an import leaves them be)."""
    images = {}
    for image in ProductImage.objects.filter(product_id__in=Among(product_ids)):
        images.setdefault(image.product_id, []).append(image)
    return images


def _write_memberships(
    plans: list[ProductPlan], products: dict, relations: dict, old_ids: list[int]
) -> None:
    Secondary = Product.secondary_categories.through
    Secondary.objects.filter(product_id__in=old_ids).delete()
    rows.insert(
        Secondary,
        [
            Secondary(product_id=products[plan.input.sku].pk, category_id=category_id)
            for plan in plans
            for category_id in plan.secondary_ids
        ],
    )
    ProductAttributeValue.objects.filter(product_id__in=old_ids).delete()
    values = []
    for sku, product in products.items():
        for value in relations[sku].attribute_values:
            value.product_id = product.pk
            values.append(value)
    rows.insert(ProductAttributeValue, values)


def _write_variants(products: dict, relations: dict, old_ids: list[int]) -> None:
    """The input's variants replace the product's: new ones added, missing ones removed."""
    wanted = [(products[sku].pk, item) for sku in products for item in relations[sku].variants]
    ProductVariant.objects.filter(product_id__in=old_ids).exclude(
        sku__in=[item.variant.sku for _, item in wanted]
    ).delete()
    to_create, to_update = [], []
    for product_id, item in wanted:
        item.variant.product_id = product_id
        (to_update if item.variant.pk else to_create).append(item.variant)
    ProductVariant.objects.bulk_update(to_update, ["product", "name", "position"], batch_size=1000)
    rows.insert(ProductVariant, to_create)
    Options = ProductVariant.option_values.through
    Options.objects.filter(productvariant_id__in=[variant.pk for variant in to_update]).delete()
    rows.insert(
        Options,
        [
            Options(productvariant_id=item.variant.pk, attributechoice_id=choice.pk)
            for _, item in wanted
            for choice in item.options
        ],
    )
