"""Versioned events reviews publishes. Stdlib only: they are a published schema.

A v1 event may gain fields with defaults, never lose or change one (that
is a v2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class RatingChanged:
    """A product's published reviews changed: their average, count and 1-5 histogram.

    ``product_sku`` is the product's own code (the catalog's ``Product.sku``).
    ``average`` is rounded to two places, None when no review is published.
    ``histogram[0]`` counts 1-star reviews, ``histogram[4]`` 5-star ones.
    ``changed_at`` is taken under the product's rating row lock, so of two
    changes the one committed later carries the later time: a subscriber
    keeps the newest ``changed_at`` it has seen and ignores older ones.
    """

    event_type: ClassVar[str] = "reviews.rating_changed.v1"

    product_id: int
    product_sku: str
    average: Decimal | None
    count: int
    histogram: tuple[int, ...]
    changed_at: datetime
