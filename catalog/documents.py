"""Product documents: what the product page and a listing card need of a product's relations.

A product's brand, type, attributes, variants with their options, images
and secondary categories live in six tables; reading them for a product
page took seven queries. The catalog keeps them, denormalised, in the
product's own row (``Product.document``, JSON), rewritten by every write
path that changes one of them, in the writing transaction: admin saves,
status changes, images, thumbnails and product types read the relations
back (``refresh``); the bulk upsert builds them from what it has just
written (catalog/upsert/derive.py), through the same ``Relations``. A
product page then reads one row; a listing reads its page of rows and
nothing else.

What the category tree says (category names, breadcrumbs) is not copied:
the reader joins it from the tree by id, so a renamed category needs no
document rewritten. A row without a document (written before documents
existed) is given one the first time it is read (``ensure``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q, QuerySet

from catalog.dtos import AttributeValue, BrandRef, Image, OptionValue, Thumbnail, Variant
from catalog.models import (
    Attribute,
    AttributeChoice,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductType,
    ProductVariant,
)
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


@dataclass(frozen=True, slots=True)
class VariantOptions:
    """A variant and its option values (each choice with its attribute loaded)."""

    variant: ProductVariant
    options: tuple[AttributeChoice, ...]


@dataclass(slots=True)
class Relations:
    """What a product's document and search keywords are made of.

    Read back from the database (``read``) by the write paths that change
    one relation, or taken from what the bulk upsert has just written, so
    that an import need not read its batches back. Both must give the same
    document and keywords, so the order of each relation is settled here,
    whatever order it came in: attribute values and options by their
    attribute's position, variants and images by position, secondary
    categories as the tree orders them. Attribute values have their
    attribute and choice loaded.
    """

    brand: Brand | None
    product_type: ProductType | None
    attribute_values: list[ProductAttributeValue]
    variants: list[VariantOptions]
    images: list[ProductImage]
    secondary_categories: list[Category]

    def __post_init__(self) -> None:
        self.attribute_values.sort(key=lambda value: _attribute_order(value.attribute))
        self.variants = [
            VariantOptions(
                variant=item.variant,
                options=tuple(sorted(item.options, key=_option_order)),
            )
            for item in sorted(self.variants, key=lambda item: _position_order(item.variant))
        ]
        self.images.sort(key=_position_order)
        self.secondary_categories.sort(key=lambda c: (c.position, c.name, c.pk))


def _attribute_order(attribute: Attribute) -> tuple:
    return attribute.position, attribute.name, attribute.pk


def _option_order(choice: AttributeChoice) -> tuple:
    return *_attribute_order(choice.attribute), choice.position, choice.value


def _position_order(row: ProductVariant | ProductImage) -> tuple:
    return row.position, row.pk


def read(product: Product) -> Relations:
    """The relations of a product loaded through ``relations_loaded``."""
    return Relations(
        brand=product.brand,
        product_type=product.product_type,
        attribute_values=list(product.attribute_values.all()),
        variants=[
            VariantOptions(variant=variant, options=tuple(variant.option_values.all()))
            for variant in product.variants.all()
        ],
        images=list(product.images.all()),
        secondary_categories=list(product.secondary_categories.all()),
    )


def _image(image: ProductImage) -> Image:
    thumbnails = []
    for key, path in sorted((image.thumbnails or {}).items()):
        size, _, fmt = key.partition(".")
        thumbnails.append(Thumbnail(size=size, format=fmt, url=default_storage.url(path)))
    return Image(url=image.image.url, alt_text=image.alt_text, thumbnails=tuple(thumbnails))


def _variant(item: VariantOptions) -> Variant:
    options = tuple(
        OptionValue(
            attribute=choice.attribute.code,
            attribute_name=choice.attribute.name,
            value=choice.value,
            slug=choice.slug,
        )
        for choice in item.options
    )
    variant = item.variant
    return Variant(id=variant.pk, sku=variant.sku, name=variant.name, options=options)


def build(relations: Relations) -> ProductDocument:
    brand, product_type = relations.brand, relations.product_type
    return ProductDocument(
        brand=BrandRef(slug=brand.slug, name=brand.name) if brand else None,
        product_type=product_type.name if product_type else None,
        attributes=tuple(
            AttributeValue(code=v.attribute.code, name=v.attribute.name, value=v.display)
            for v in relations.attribute_values
            if v.display
        ),
        variants=tuple(_variant(item) for item in relations.variants),
        images=tuple(_image(image) for image in relations.images),
        secondary_category_ids=tuple(c.pk for c in relations.secondary_categories),
    )


def as_json(document: ProductDocument) -> dict:
    """``document`` as the JSON stored in ``Product.document``.

    A walk of its own: ``dataclasses.asdict`` deep-copies every string and
    took a seventh of a large import's time.
    """
    return _plain(document)


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def relations_loaded(queryset: QuerySet[Product]) -> QuerySet[Product]:
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
        products = list(relations_loaded(Product.objects.filter(pk__in=chunk)))
        for product in products:
            built[product.pk] = build(read(product))
            product.document = as_json(built[product.pk])
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
