"""Pricing experiments: defining, starting and stopping them, and recording their results."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection

from django.db import DatabaseError
from django.utils import timezone

from kernel.databases import atomic
from pricing import cache
from pricing.dtos import ExperimentAssignment, ExperimentSpec, Quote, QuoteLine
from pricing.models import (
    Experiment,
    ExperimentExposure,
    ExperimentSale,
    ExperimentVariant,
)

logger = logging.getLogger(__name__)


@atomic("pricing")
def experiment_upsert(*, spec: ExperimentSpec, running: bool) -> Experiment:
    """Create or update an experiment and its variants (by key), then start or stop it.

    ``running`` starts a draft or stopped experiment, or stops a running one
    (back to base prices); an experiment already as asked is left alone.
    """
    cache.experiments_changed()
    experiment = Experiment.objects.select_for_update().filter(slug=spec.slug).first()
    experiment = experiment or Experiment(slug=spec.slug)
    experiment.name = spec.name
    experiment.category_slug = spec.category_slug
    experiment.skus = list(spec.skus)
    experiment.full_clean()
    experiment.save()
    experiment.variants.exclude(key__in=[v.key for v in spec.variants]).delete()
    for variant in spec.variants:
        row = experiment.variants.filter(key=variant.key).first() or ExperimentVariant(
            experiment=experiment, key=variant.key
        )
        row.weight = variant.weight
        row.rule = variant.rule
        row.percent = variant.percent
        row.demand_threshold = variant.demand_threshold
        row.full_clean()
        row.save()
    if running and experiment.status != Experiment.Status.RUNNING:
        return experiment_start(experiment=experiment)
    if not running and experiment.status == Experiment.Status.RUNNING:
        return experiment_stop(experiment=experiment)
    return experiment


@atomic("pricing")
def experiment_start(*, experiment: Experiment) -> Experiment:
    cache.experiments_changed()
    experiment.full_clean()
    if not experiment.variants.exists():
        raise ValueError("an experiment needs variants before it can start")
    experiment.status = Experiment.Status.RUNNING
    experiment.started_at = experiment.started_at or timezone.now()
    experiment.stopped_at = None
    experiment.save()
    return experiment


@atomic("pricing")
def experiment_stop(*, experiment: Experiment) -> Experiment:
    """Stop: from now on every shopper gets the base price again."""
    cache.experiments_changed()
    experiment.status = Experiment.Status.STOPPED
    experiment.stopped_at = timezone.now()
    experiment.save()
    return experiment


def experiment_exposures_record(
    *, shopper_key: str, assignments: Collection[ExperimentAssignment]
) -> None:
    """Note that this shopper was quoted in these variants (once per shopper and variant).

    Called from a quote, so it must never break one: it runs in its own
    savepoint and a failure is logged and swallowed.
    """
    if not assignments:
        return
    shopper_hash = hashlib.sha256(shopper_key.encode()).hexdigest()
    try:
        with atomic("pricing"):
            slugs = {a.experiment for a in assignments}
            ids = dict(Experiment.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            now = timezone.now()
            ExperimentExposure.objects.bulk_create(
                [
                    ExperimentExposure(
                        experiment_id=ids[a.experiment],
                        variant_key=a.variant,
                        shopper_hash=shopper_hash,
                        first_seen_at=now,
                    )
                    for a in set(assignments)
                    if a.experiment in ids
                ],
                ignore_conflicts=True,
            )
    except DatabaseError:
        logger.exception("experiment exposures not recorded")


def experiment_sales_record(*, order_ref: str, quote: Quote) -> int:
    """Record the lines of a placed order that were priced in an experiment. Idempotent.

    Revenue is the line total after the line's own discounts (order-level
    discounts are not shared out here). An order without such lines costs
    nothing, not even an empty transaction.
    """
    lines = [line for line in quote.lines if line.experiment is not None]
    return _sales_write(order_ref=order_ref, lines=lines) if lines else 0


@atomic("pricing")
def _sales_write(*, order_ref: str, lines: list[QuoteLine]) -> int:
    slugs = {line.experiment.experiment for line in lines}
    by_slug = {e.slug: e for e in Experiment.objects.filter(slug__in=slugs)}
    now = timezone.now()
    created = ExperimentSale.objects.bulk_create(
        [
            ExperimentSale(
                experiment=by_slug[line.experiment.experiment],
                variant_key=line.experiment.variant,
                order_ref=order_ref,
                sku=line.sku,
                quantity=line.quantity,
                revenue=line.total.amount,
                currency=line.total.currency,
                sold_at=now,
            )
            for line in lines
            if line.experiment.experiment in by_slug
        ],
        ignore_conflicts=True,
    )
    return len(created)
