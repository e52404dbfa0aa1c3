"""Versioned events the catalog publishes. Stdlib only: they are a published schema.

Subscribers (pricing's category targeting, the storefront cache) rely on
these fields; a v1 event may gain fields with defaults, never lose or
change one (that is a v2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProductChanged:
    """A product's information was created or edited.

    ``variant_skus`` are every sellable SKU of the product (the product's
    own SKU when it has no variants); ``category_slugs`` are every category
    the product is in, primary first, each followed by its ancestors, so a
    subscriber can target "kitchen" without knowing the tree.

    ``changed_at`` is when the catalog made the change, taken inside the
    writing transaction after the product row was written (PostgreSQL holds
    that row's lock until commit, so of two changes to one product the one
    committed later carries the later time). Deliveries may arrive out of
    order: a subscriber that keeps state stores the ``changed_at`` it applied
    and ignores an older one. ``None`` only on events published before the
    field existed.
    """

    event_type: ClassVar[str] = "catalog.product_changed.v1"

    product_id: int
    sku: str
    slug: str
    title: str
    variant_skus: tuple[str, ...] = ()
    category_slugs: tuple[str, ...] = ()
    brand: str | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProductPublished:
    """A product became visible to shoppers (published, from ``published_at`` on).

    Same fields as ``ProductChanged``, so a subscriber can start selling
    every variant SKU and target the product's categories and brand.
    """

    event_type: ClassVar[str] = "catalog.product_published.v1"

    product_id: int
    sku: str
    slug: str
    title: str
    variant_skus: tuple[str, ...] = ()
    category_slugs: tuple[str, ...] = ()
    brand: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProductArchived:
    """A product was withdrawn from sale; its SKUs stay known (orders refer to them)."""

    event_type: ClassVar[str] = "catalog.product_archived.v1"

    product_id: int
    sku: str
    slug: str
    title: str
    variant_skus: tuple[str, ...] = ()
    category_slugs: tuple[str, ...] = ()
    brand: str | None = None
