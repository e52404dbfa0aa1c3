"""Product documents: what the product page and a listing card need of a product's relations.

A product's brand, type, attributes, variants with their options, images
and secondary categories live in six tables; reading them for a product
page took seven queries. The catalog keeps them, denormalised, in the
product's own row (``Product.document``, JSON), rewritten by every write
path that changes one of them, in the writing transaction (``refresh``):
the upsert (per batch), admin saves, status changes, images, thumbnails,
product types. A product page then reads one row; a listing reads its
page of rows and nothing else.

What the category tree says (category names, breadcrumbs) is not copied:
the reader joins it from the tree by id, so a renamed category needs no
document rewritten. A row without a document (written before documents
existed) is given one the first time it is read (``ensure``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q, QuerySet

from catalog.dtos import AttributeValue, BrandRef, Image, OptionValue, Thumbnail, Variant
from catalog.models import Product, ProductAttributeValue, ProductImage, ProductVariant
from kernel import eventcodec


@dataclass(frozen=True, slots=True)
class ProductDocument:
    brand: BrandRef | None
    product_type: str | None
    attributes: tuple[AttributeValue, ...]
    variants: tuple[Variant, ...]
    images: tuple[Image, ...]
    secondary_category_ids: tuple[int, ...]


def decode(document: dict) -> ProductDocument:
    return eventcodec.decode(ProductDocument, document)


def _image(image: ProductImage) -> Image:
    thumbnails = []
    for key, path in sorted((image.thumbnails or {}).items()):
        size, _, fmt = key.partition(".")
        thumbnails.append(Thumbnail(size=size, format=fmt, url=default_storage.url(path)))
    return Image(url=image.image.url, alt_text=image.alt_text, thumbnails=tuple(thumbnails))


def _variant(variant: ProductVariant) -> Variant:
    options = tuple(
        OptionValue(
            attribute=choice.attribute.code,
            attribute_name=choice.attribute.name,
            value=choice.value,
            slug=choice.slug,
        )
        for choice in sorted(variant.option_values.all(), key=lambda c: c.attribute.position)
    )
    return Variant(id=variant.pk, sku=variant.sku, name=variant.name, options=options)


def _build(product: Product) -> ProductDocument:
    brand = product.brand
    return ProductDocument(
        brand=BrandRef(slug=brand.slug, name=brand.name) if brand else None,
        product_type=product.product_type.name if product.product_type else None,
        attributes=tuple(
            AttributeValue(code=v.attribute.code, name=v.attribute.name, value=v.display)
            for v in sorted(product.attribute_values.all(), key=lambda v: v.attribute.position)
            if v.display
        ),
        variants=tuple(_variant(v) for v in product.variants.all()),
        images=tuple(_image(image) for image in product.images.all()),
        secondary_category_ids=tuple(c.pk for c in product.secondary_categories.all()),
    )


def _relations(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """A fixed number of queries whatever the number of products."""
    return queryset.select_related("brand", "product_type").prefetch_related(
        "secondary_categories",
        Prefetch(
            "attribute_values",
            queryset=ProductAttributeValue.objects.select_related("attribute", "choice"),
        ),
        Prefetch(
            "variants",
            queryset=ProductVariant.objects.prefetch_related("option_values__attribute"),
        ),
        "images",
    )


#: Products read and rewritten at a time, so a large import stays in bounded memory.
CHUNK = 1000


def refresh(*, product_ids: list[int]) -> dict[int, ProductDocument]:
    """Rewrite the documents of ``product_ids`` from their relations; returns them."""
    built = {}
    for start in range(0, len(product_ids), CHUNK):
        chunk = product_ids[start : start + CHUNK]
        products = list(_relations(Product.objects.filter(pk__in=chunk)))
        for product in products:
            built[product.pk] = _build(product)
            product.document = dataclasses.asdict(built[product.pk])
        Product.objects.bulk_update(products, ["document"], batch_size=500)
    return built


def ensure(products: list[Product]) -> dict[int, ProductDocument]:
    """Each product's document, built (and stored) for rows that have none yet."""
    found = {p.pk: decode(p.document) for p in products if p.document is not None}
    missing = [p.pk for p in products if p.document is None]
    if missing:
        found.update(refresh(product_ids=missing))
    return found


def refresh_where(condition: Q) -> None:
    """Rewrite the documents of every product matching ``condition`` (a product type edit)."""
    refresh(product_ids=list(Product.objects.filter(condition).values_list("pk", flat=True)))
