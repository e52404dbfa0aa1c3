"""Writing validated plans with bulk statements, inside the caller's transaction.

A few statements per table whatever the number of products: 10,000
products cost a few hundred queries rather than hundreds of thousands.
The search index and the price/stock projection of the written products
are refreshed in the same transaction.
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
    ProductSlugRedirect,
    ProductVariant,
)
from catalog.upsert.validate import ProductPlan, chunks


@dataclass(frozen=True, slots=True)
class Written:
    """A product as written, and its status before (None if it is new): what to announce."""

    product: Product
    plan: ProductPlan
    previous_status: str | None


def write(plans: list[ProductPlan]) -> list[Written]:
    """Create or update the products of ``plans`` and everything they own."""
    now = timezone.now()
    brands = _brands({plan.brand_name for plan in plans if plan.brand_name})
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
        (old if plan.existing else new).append(product)
    if old:
        Product.objects.bulk_update(
            old,
            ["title", "slug", "description", "category", "brand", "product_type", "status",
             "published_at", "updated_at"],
            batch_size=1000,
        )  # fmt: skip
    Product.objects.bulk_create(new, batch_size=1000)
    for product in new:
        product.created_at = now
    products = {product.sku: product for product in [*old, *new]}
    ProductSlugRedirect.objects.filter(old_slug__in=[p.slug for p in products.values()]).delete()
    ProductSlugRedirect.objects.bulk_create(redirects, ignore_conflicts=True)
    ids = [product.pk for product in products.values()]
    _write_memberships(plans, products, ids)
    _write_variants(plans, products, ids)
    indexing.reindex(product_ids=ids)
    projection.refresh(product_ids=ids)
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


def _write_memberships(plans: list[ProductPlan], products: dict, ids: list[int]) -> None:
    Secondary = Product.secondary_categories.through
    Secondary.objects.filter(product_id__in=ids).delete()
    Secondary.objects.bulk_create(
        [
            Secondary(product_id=products[plan.input.sku].pk, category_id=category_id)
            for plan in plans
            for category_id in plan.secondary_ids
        ],
        batch_size=5000,
    )
    ProductAttributeValue.objects.filter(product_id__in=ids).delete()
    ProductAttributeValue.objects.bulk_create(
        [
            ProductAttributeValue(
                product_id=products[plan.input.sku].pk,
                attribute_id=attribute_id,
                text=value.text,
                number=value.number,
                boolean=value.boolean,
                choice_id=value.choice_id,
            )
            for plan in plans
            for attribute_id, value in plan.attributes.items()
        ],
        batch_size=5000,
    )


def _write_variants(plans: list[ProductPlan], products: dict, ids: list[int]) -> None:
    """The input's variants replace the product's: new ones added, missing ones removed."""
    wanted = {
        variant.sku: (products[plan.input.sku].pk, position, variant)
        for plan in plans
        for position, variant in enumerate(plan.variants)
    }
    ProductVariant.objects.filter(product_id__in=ids).exclude(sku__in=list(wanted)).delete()
    existing = {}
    for chunk in chunks(list(wanted)):
        existing.update({v.sku: v for v in ProductVariant.objects.filter(sku__in=chunk)})
    to_create, to_update = [], []
    for sku, (product_id, position, planned) in wanted.items():
        variant = existing.get(sku) or ProductVariant(sku=sku)
        variant.product_id, variant.name, variant.position = product_id, planned.name, position
        (to_update if variant.pk else to_create).append(variant)
    ProductVariant.objects.bulk_update(to_update, ["product", "name", "position"], batch_size=1000)
    ProductVariant.objects.bulk_create(to_create, batch_size=1000)
    variant_ids = {variant.sku: variant.pk for variant in [*to_update, *to_create]}
    Options = ProductVariant.option_values.through
    Options.objects.filter(productvariant_id__in=list(variant_ids.values())).delete()
    Options.objects.bulk_create(
        [
            Options(productvariant_id=variant_ids[sku], attributechoice_id=choice_id)
            for sku, (_, _, planned) in wanted.items()
            for choice_id in planned.choice_ids
        ],
        batch_size=5000,
    )
