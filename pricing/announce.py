"""Re-announcing every current base price, so subscribers can rebuild what they keep.

Subscribers keep copies of prices fed by ``pricing.price_changed.v1`` (the
catalog's search projection). A copy that missed events (it was added
after the prices were set, or its database was restored or split off)
is rebuilt by publishing each current price again as that same event:
the subscribers' handlers are idempotent and keep the newest
``changed_at``, so a re-announcement changes nothing that is current and
fills in what is missing, wherever the subscriber's database is.

Each batch locks its price rows (primary-key order) before stamping
``changed_at``: an edit saved meanwhile either committed first, and is
what is announced, or waits for the batch and is stamped later, so it
still wins at the subscriber.
"""

from __future__ import annotations

from django.utils import timezone

from kernel.databases import atomic
from kernel.outbox import announce_in_batches, publish
from pricing.events import PriceChanged
from pricing.models import Price

#: ``changed_by`` of a re-announced price: nobody changed it.
ANNOUNCER = "announce_prices"


def prices_announce(*, currencies: list[str] | None = None) -> int:
    """Publish ``PriceChanged`` for every base price (in ``currencies``, default all).

    One transaction per batch of prices; returns how many were announced.
    """
    prices = Price.objects.order_by("pk")
    if currencies:
        prices = prices.filter(currency__in=currencies)
    return announce_in_batches(list(prices.values_list("pk", flat=True)), _announce_batch)


@atomic("pricing")
def _announce_batch(ids: list[int]) -> None:
    locked = list(Price.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    now = timezone.now()
    for price in locked:
        publish(
            PriceChanged(
                sku=price.sku,
                currency=price.currency,
                old_amount=price.amount,
                new_amount=price.amount,
                changed_at=now,
                compare_at_amount=price.compare_at_amount,
                changed_by=ANNOUNCER,
            )
        )
