"""At most ``REVIEWS_WRITES_PER_HOUR`` reviews written or edited per customer per hour.

Counted in the shared cache per customer and clock hour: cheap, shared by
every process when the cache is Redis, and forgotten on its own. Only
writes that succeed count, so a form sent back with errors costs nothing.
The pages and the API check it at the edge; the services (and the demo
seeding through ``reviews.api``) are not throttled.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

HOUR = 3600


class Throttled(Exception):
    """Too many reviews this hour; ``retry_after`` seconds until the next hour."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, retry_after // 60)
        super().__init__(
            ngettext(
                "You can write or edit %(limit)s reviews an hour; try again in %(minutes)s minute.",
                "You can write or edit %(limit)s reviews an hour; "
                "try again in %(minutes)s minutes.",
                minutes,
            )
            % {"limit": settings.REVIEWS_WRITES_PER_HOUR, "minutes": minutes}
        )
        self.retry_after = retry_after


def _key(customer_id: int) -> tuple[str, int]:
    now = int(time.time())
    return f"reviews:writes:{customer_id}:{now // HOUR}", HOUR - now % HOUR


def check(customer_id: int) -> None:
    """Raise `Throttled` if the customer has used up this hour's writes."""
    key, retry_after = _key(customer_id)
    if cache.get(key, 0) >= settings.REVIEWS_WRITES_PER_HOUR:
        raise Throttled(retry_after)


def count(customer_id: int) -> None:
    """Count one successful write."""
    key, _ = _key(customer_id)
    if not cache.add(key, 1, timeout=HOUR):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=HOUR)
