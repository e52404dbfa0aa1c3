"""Versioned events the catalog publishes. Stdlib only: they are a published schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProductChanged:
    """A product's information was created or edited."""

    event_type: ClassVar[str] = "catalog.product_changed.v1"

    product_id: int
    sku: str
    slug: str
    title: str
