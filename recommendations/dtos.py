"""Data that crosses the recommendations boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a product is suggested; a page may word each differently."""

    PINNED = "pinned"  # staff chose it for this product
    BOUGHT_TOGETHER = "bought_together"  # customers who bought this also bought it
    SIMILAR = "similar"  # same category, brand, attributes or price band
    RECENTLY_VIEWED = "recently_viewed"  # this visitor looked at it before


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One product to suggest: its catalog id and product SKU, and why."""

    product_id: int
    sku: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class ProductRecommendations:
    """What to show next to a product.

    ``items``: one row, best first (pins, then bought together, then
    similar products filling the row when order history is thin).
    ``recently_viewed``: the visitor's earlier views, newest first, without
    this product; empty when no visitor was given.
    """

    product_id: int
    items: tuple[Recommendation, ...]
    recently_viewed: tuple[Recommendation, ...] = ()


@dataclass(frozen=True, slots=True)
class CartRecommendations:
    """What to suggest for a basket: products bought with its products, then similar ones."""

    skus: tuple[str, ...]
    items: tuple[Recommendation, ...]
