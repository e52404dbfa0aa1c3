"""Celery tasks of recommendations: thin, taking ids, calling services."""

from celery import shared_task

from recommendations.services import baskets


@shared_task(name="recommendations.tasks.recompute_copurchases")
def recompute_copurchases() -> int:
    """Nightly (beat): rebuild the co-purchase counts from the stored baskets."""
    return baskets.copurchases_recompute()
