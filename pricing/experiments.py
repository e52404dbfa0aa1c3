"""Pricing experiments: who sees which variant, and what price a variant gives.

Assignment is a pure function of the experiment's slug and the shopper's
stable key (customer id, else visitor id): sha256 of both, read as a number,
picks a point in [0, 10000) that falls into one variant's share of the
traffic. The same shopper therefore gets the same variant on the listing,
in the cart and at checkout, on any server, with nothing stored. Shoppers
without a key (no cookie, no account) see base prices.

A variant's rule must never break a page or a checkout: if evaluating it
raises, the line keeps the base price and the assignment says it fell back.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from pricing import cache, selectors
from pricing.dtos import Customer, ExperimentAssignment, QuoteContext, UnitPrice
from pricing.models import DemandLine, Experiment, ExperimentVariant, SkuPlacement

logger = logging.getLogger(__name__)

BUCKETS = 10_000
HUNDRED = Decimal(100)


def shopper_key(customer: Customer | None, context: QuoteContext | None) -> str | None:
    if customer and customer.customer_id is not None:
        return f"customer:{customer.customer_id}"
    if context and context.visitor_id:
        return f"visitor:{context.visitor_id}"
    return None


def bucket(experiment_slug: str, key: str) -> int:
    digest = hashlib.sha256(f"{experiment_slug}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def choose_variant(variants: list[ExperimentVariant], point: int) -> ExperimentVariant | None:
    """The variant whose share of [0, BUCKETS) holds ``point`` (variants in key order)."""
    total = sum(v.weight for v in variants)
    if not total:
        return None
    scaled = point * total // BUCKETS
    for variant in sorted(variants, key=lambda v: v.key):
        if scaled < variant.weight:
            return variant
        scaled -= variant.weight
    return None


def units_sold(*, skus: list[str]) -> dict[str, int]:
    """Units of each SKU in orders placed within ``PRICING_DEMAND_WINDOW_DAYS`` and not
    cancelled (services/demand.py keeps them from orders' events). One query."""
    since = timezone.now() - timedelta(days=settings.PRICING_DEMAND_WINDOW_DAYS)
    recent = DemandLine.objects.filter(
        sku__in=skus, order__placed_at__gte=since, order__cancelled=False
    )
    return dict(recent.values("sku").annotate(units=Sum("units")).values_list("sku", "units"))


def variant_price(variant: ExperimentVariant, base: UnitPrice, demand: int) -> UnitPrice:
    """The unit price under ``variant``'s rule, rounded once; may raise on a bad rule."""
    if variant.rule == ExperimentVariant.Rule.BASE:
        return base
    if variant.rule == ExperimentVariant.Rule.DEMAND and demand < variant.demand_threshold:
        return base
    if variant.rule not in (ExperimentVariant.Rule.PERCENT, ExperimentVariant.Rule.DEMAND):
        raise ValueError(f"unknown experiment rule {variant.rule!r}")
    adjusted = (base.price * (1 + variant.percent / HUNDRED)).rounded()
    if adjusted.amount < 0:
        raise ValueError("an experiment price cannot be negative")
    return replace(base, price=adjusted)


def _targets(experiment: Experiment, sku: str, placement: SkuPlacement | None) -> bool:
    if sku in experiment.skus:
        return True
    return bool(
        experiment.category_slug
        and placement is not None
        and experiment.category_slug in placement.category_slugs
    )


def running_experiments() -> list[Experiment]:
    """The running experiments with their variants, cached (cache.py)."""
    return cache.experiments(
        lambda: list(
            Experiment.objects.filter(status=Experiment.Status.RUNNING)
            .prefetch_related("variants")
            .order_by("slug")
        )
    )


def arms(*, key: str | None) -> tuple[tuple[str, str], ...]:
    """(experiment slug, variant key) of every running experiment for shopper ``key``."""
    if key is None:
        return ()
    chosen = (
        (
            experiment.slug,
            choose_variant(list(experiment.variants.all()), bucket(experiment.slug, key)),
        )
        for experiment in running_experiments()
    )
    return tuple((slug, variant.key) for slug, variant in chosen if variant is not None)


def apply(
    prices: dict[str, UnitPrice],
    *,
    key: str | None,
    placements: dict[str, SkuPlacement] | None = None,
) -> tuple[dict[str, UnitPrice], dict[str, ExperimentAssignment]]:
    """Prices under the running experiments for shopper ``key``, and the assignments.

    Only base prices take part: a customer on a group price list is not in
    retail price experiments. A SKU in two running experiments is priced by
    the first by slug. Fixed number of queries: experiments, variants,
    placements (unless given), demand.
    """
    if key is None or not prices:
        return prices, {}
    experiments = running_experiments()
    if not experiments:
        return prices, {}
    skus = [sku for sku, price in prices.items() if price.price_list is None]
    if placements is None:
        placements = selectors.placements(skus=skus)
    chosen: dict[str, tuple[Experiment, ExperimentVariant]] = {}
    for sku in skus:
        for experiment in experiments:
            if _targets(experiment, sku, placements.get(sku)):
                variant = choose_variant(
                    list(experiment.variants.all()), bucket(experiment.slug, key)
                )
                if variant is not None:
                    chosen[sku] = (experiment, variant)
                break
    demand_driven = [s for s, (_, v) in chosen.items() if v.rule == ExperimentVariant.Rule.DEMAND]
    demand = units_sold(skus=demand_driven) if demand_driven else {}
    adjusted, assignments = dict(prices), {}
    for sku, (experiment, variant) in chosen.items():
        try:
            adjusted[sku] = variant_price(variant, prices[sku], demand.get(sku, 0))
            fell_back = False
        except Exception:  # a failing rule never breaks a page or checkout: base price
            logger.exception("experiment %s/%s failed for %s", experiment.slug, variant.key, sku)
            fell_back = True
        assignments[sku] = ExperimentAssignment(experiment.slug, variant.key, fell_back)
    return adjusted, assignments
