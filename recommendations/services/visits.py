"""What each visitor looked at recently: a few rows per visitor id, newest kept.

A table keyed by the kernel's ``visitor_id`` rather than the session: the
visitor id is already on every request (kernel/visitor.py), the REST
clients without a session have one too, and recommendations does not need
to touch the request or the session machinery. At most
``RECOMMENDATIONS_RECENTLY_VIEWED`` products are kept per visitor; older
views are deleted as new ones come in.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from kernel.databases import atomic
from recommendations.models import RecentView


@atomic("recommendations")
def view_record(*, visitor_id: str, product_id: int) -> None:
    """Remember that ``visitor_id`` looked at ``product_id`` now; forget views beyond the cap.

    Two statements in one transaction: an upsert of the view (``INSERT … ON
    CONFLICT … DO UPDATE`` on the one-view-per-product constraint) and one
    ``DELETE`` of the visitor's views past the newest few. Every product page a
    returning visitor opens waits for this (its recently viewed row is read
    after it); ``update_or_create`` and a read of the stale ids took seven
    round trips, now four. Two views by one visitor at once cannot break it:
    the upsert never fails on the constraint, and each trim keeps the newest.
    """
    RecentView.objects.bulk_create(
        [RecentView(visitor_id=visitor_id, product_id=product_id, viewed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["visitor_id", "product_id"],
        update_fields=["viewed_at"],
    )
    keep = settings.RECOMMENDATIONS_RECENTLY_VIEWED
    views = RecentView.objects.filter(visitor_id=visitor_id)
    stale = views.order_by("-viewed_at", "-pk").values("pk")[keep:]
    views.filter(pk__in=stale).delete()
