"""Data that crosses the catalog boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CategoryRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductSummary:
    """What a listing card or another context needs to show a product."""

    id: int
    sku: str
    title: str
    slug: str
    category: CategoryRef | None


@dataclass(frozen=True, slots=True)
class ProductDetail:
    id: int
    sku: str
    title: str
    slug: str
    description: str
    category: CategoryRef | None


@dataclass(frozen=True, slots=True)
class ProductPage:
    """One page of a product listing."""

    items: tuple[ProductSummary, ...]
    number: int
    page_count: int
    total: int
