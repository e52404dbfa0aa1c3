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
    """Remember that ``visitor_id`` looked at ``product_id`` now; forget views beyond the cap."""
    RecentView.objects.update_or_create(
        visitor_id=visitor_id, product_id=product_id, defaults={"viewed_at": timezone.now()}
    )
    keep = settings.RECOMMENDATIONS_RECENTLY_VIEWED
    stale = RecentView.objects.filter(visitor_id=visitor_id).order_by("-viewed_at", "-pk")[keep:]
    stale_ids = list(stale.values_list("pk", flat=True))
    if stale_ids:
        RecentView.objects.filter(pk__in=stale_ids).delete()
