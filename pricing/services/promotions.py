"""Promotions: saving them with their targets and tiers, and announcing what they cover."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from kernel.databases import atomic
from kernel.outbox import publish
from pricing import cache
from pricing.dtos import PromotionSpec
from pricing.events import PromotionChanged
from pricing.models import Promotion, PromotionTarget, PromotionTier


@atomic("pricing")
def promotion_save(*, promotion: Promotion) -> Promotion:
    """Save a promotion's own fields; announce it with ``promotion_announce`` once its
    targets and tiers are saved too (the admin saves those after the promotion)."""
    promotion.full_clean()
    promotion.save()
    cache.promotions_changed()
    return promotion


def promotion_announce(*, promotion: Promotion) -> None:
    """Publish pricing.promotion_changed.v1 with what the promotion now covers."""
    targets = list(promotion.targets.all())
    cache.promotions_changed()

    def values(kind: str) -> tuple[str, ...]:
        return tuple(t.value for t in targets if t.kind == kind)

    publish(
        PromotionChanged(
            promotion_id=promotion.pk,
            slug=promotion.slug,
            name=promotion.name,
            reason=promotion.reason,
            is_active=promotion.is_active,
            requires_voucher=promotion.requires_voucher,
            order_level=promotion.scope == Promotion.Scope.ORDER,
            starts_at=promotion.starts_at,
            ends_at=promotion.ends_at,
            skus=values(PromotionTarget.Kind.SKU),
            product_skus=values(PromotionTarget.Kind.PRODUCT),
            category_slugs=values(PromotionTarget.Kind.CATEGORY),
            changed_at=timezone.now(),
        )
    )


@atomic("pricing")
def promotion_upsert(
    *,
    slug: str,
    fields: dict,
    targets: Iterable[tuple[str, str]] = (),
    tiers: Iterable[tuple[int, Decimal | int]] = (),
) -> Promotion:
    """Create or replace the promotion ``slug`` with its targets and tiers; announce it.

    ``fields`` are the model's own fields by name. Idempotent: when nothing
    differs, nothing is written and nothing published.
    """
    promotion = Promotion.objects.select_for_update().filter(slug=slug).first()
    wanted_targets = sorted(set(targets))
    wanted_tiers = sorted((int(minimum), Decimal(percent)) for minimum, percent in tiers)
    if promotion is not None and (
        all(getattr(promotion, name) == value for name, value in fields.items())
        and sorted(promotion.targets.values_list("kind", "value")) == wanted_targets
        and sorted(promotion.tiers.values_list("min_quantity", "percent")) == wanted_tiers
    ):
        return promotion
    promotion = promotion or Promotion(slug=slug)
    for name, value in fields.items():
        setattr(promotion, name, value)
    promotion_save(promotion=promotion)
    promotion.targets.all().delete()
    promotion.tiers.all().delete()
    PromotionTarget.objects.bulk_create(
        [PromotionTarget(promotion=promotion, kind=k, value=v) for k, v in wanted_targets]
    )
    PromotionTier.objects.bulk_create(
        [PromotionTier(promotion=promotion, min_quantity=m, percent=p) for m, p in wanted_tiers]
    )
    promotion_announce(promotion=promotion)
    return promotion


def promotion_spec_upsert(*, spec: PromotionSpec) -> Promotion:
    """``promotion_upsert`` for a promotion as an importer describes it (``PromotionSpec``)."""
    fields = {
        "name": spec.name,
        "reason": spec.reason,
        "kind": spec.kind,
        "scope": spec.scope,
        "percent": spec.percent,
        "amount": spec.amount.amount if spec.amount else None,
        "currency": spec.amount.currency if spec.amount else "",
        "buy_quantity": spec.buy_quantity,
        "get_quantity": spec.get_quantity,
        "starts_at": spec.starts_at,
        "ends_at": spec.ends_at,
        "priority": spec.priority,
        "stacking": (
            Promotion.Stacking.EXCLUSIVE if spec.exclusive else Promotion.Stacking.COMBINABLE
        ),
        "requires_voucher": spec.requires_voucher,
        "is_active": spec.is_active,
    }
    return promotion_upsert(
        slug=spec.slug,
        fields=fields,
        targets=[(target.kind, target.value) for target in spec.targets],
        tiers=[(tier.min_quantity, tier.percent) for tier in spec.tiers],
    )


@atomic("pricing")
def promotion_delete(*, promotion: Promotion) -> None:
    """Delete a promotion (no voucher may refer to it) and announce it as inactive."""
    promotion.is_active = False
    promotion_announce(promotion=promotion)
    promotion.delete()
