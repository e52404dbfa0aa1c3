"""Experiment results as staff read them: shoppers, orders, units and revenue per variant.

One computation for the experiment's admin page and the back office's
dashboard (``pricing.api.running_experiments``), in three queries whatever
the number of experiments: the experiments with their variants, exposures
counted per variant, sales summed per variant and currency.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum

from kernel.money import Money
from pricing.dtos import ExperimentFigures, VariantFigures, VariantSales
from pricing.models import Experiment, ExperimentExposure, ExperimentSale, ExperimentVariant


def experiment_figures(experiments) -> list[ExperimentFigures]:
    """The figures of the ``experiments`` queryset, in its order."""
    experiments = list(
        experiments.prefetch_related(
            Prefetch("variants", queryset=ExperimentVariant.objects.order_by("pk"))
        )
    )
    ids = [experiment.pk for experiment in experiments]
    shoppers = {
        (row["experiment_id"], row["variant_key"]): row["shoppers"]
        for row in ExperimentExposure.objects.filter(experiment_id__in=ids)
        .values("experiment_id", "variant_key")
        .annotate(shoppers=Count("id"))
        .order_by()
    }
    sales = defaultdict(list)
    for row in (
        ExperimentSale.objects.filter(experiment_id__in=ids)
        .values("experiment_id", "variant_key", "currency")
        .annotate(
            orders=Count("order_ref", distinct=True), units=Sum("quantity"), revenue=Sum("revenue")
        )
        .order_by("currency")
    ):
        sales[row["experiment_id"], row["variant_key"]].append(
            VariantSales(
                currency=row["currency"],
                orders=row["orders"],
                units=row["units"],
                revenue=Money(row["revenue"], row["currency"]).rounded(),
            )
        )
    return [_figures(experiment, shoppers, sales) for experiment in experiments]


def _figures(experiment: Experiment, shoppers: dict, sales: dict) -> ExperimentFigures:
    variants = list(experiment.variants.all())
    total_weight = sum(variant.weight for variant in variants) or 1
    return ExperimentFigures(
        slug=experiment.slug,
        name=experiment.name,
        status=experiment.status,
        started_at=experiment.started_at,
        variants=tuple(
            VariantFigures(
                key=variant.key,
                traffic_percent=round(variant.weight * 100 / total_weight),
                shoppers=shoppers.get((experiment.pk, variant.key), 0),
                sales=tuple(sales.get((experiment.pk, variant.key), ())),
            )
            for variant in variants
        ),
    )


def running_experiments() -> list[ExperimentFigures]:
    return experiment_figures(
        Experiment.objects.filter(status=Experiment.Status.RUNNING).order_by("started_at", "pk")
    )
