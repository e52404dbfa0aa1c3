"""The public, in-process interface of recommendations: keyword-only functions returning DTOs.

Other contexts and the composition layer call only this module (and read
``dtos``/``events``). After a split it is the one file that becomes an HTTP
client.

Recommendations is an *optional* context: callers go through
``kernel.isolation.call_optional`` with a time budget and show nothing when
it fails. Checkout never calls it (importlinter.ini). Every function is
wrapped by ``kernel.faults.inject``, so ``FAULT_INJECTION`` can make it
fail or hang on purpose (docs/recommendations.md).
"""

from __future__ import annotations

from django.conf import settings

from kernel.faults import inject
from recommendations import selectors
from recommendations.dtos import CartRecommendations, ProductRecommendations, Recommendation
from recommendations.services import visits


@inject("recommendations")
def for_product(
    *, product_id: int, visitor_id: str | None = None, limit: int | None = None
) -> ProductRecommendations:
    """A row of products to show on ``product_id``'s page, and the visitor's recent views.

    With ``visitor_id`` this also records that the visitor is viewing the
    product (what "recently viewed" is made of), so call it once per page view.
    """
    if visitor_id:
        visits.view_record(visitor_id=visitor_id, product_id=product_id)
    return selectors.for_product(
        product_id=product_id,
        visitor_id=visitor_id,
        limit=limit or settings.RECOMMENDATIONS_ROW_SIZE,
    )


@inject("recommendations")
def viewed(
    *, product_id: int, visitor_id: str, limit: int | None = None
) -> tuple[Recommendation, ...]:
    """Record that the visitor is viewing ``product_id``; their earlier views, newest first.

    The product page's "Recently viewed" row, asked for apart from the page
    (which caches share between visitors) by the page's own script.
    """
    visits.view_record(visitor_id=visitor_id, product_id=product_id)
    return selectors.recently_viewed(
        visitor_id=visitor_id,
        product_id=product_id,
        limit=limit or settings.RECOMMENDATIONS_ROW_SIZE,
    )


@inject("recommendations")
def for_cart(*, skus: list[str], limit: int | None = None) -> CartRecommendations:
    """Products to suggest for a basket of ``skus`` (variant or product SKUs), none in it."""
    return selectors.for_cart(skus=skus, limit=limit or settings.RECOMMENDATIONS_ROW_SIZE)
