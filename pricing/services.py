"""Write use cases of pricing, each in one transaction, publishing events via the outbox."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Collection, Iterable
from datetime import datetime
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from kernel.money import Money
from kernel.outbox import publish
from pricing.dtos import (
    Customer,
    ExperimentAssignment,
    ExperimentSpec,
    Quote,
    Redemption,
    VoucherRejected,
)
from pricing.events import PriceChanged, PromotionChanged
from pricing.models import (
    CurrencyTaxMode,
    DemandSignal,
    Experiment,
    ExperimentExposure,
    ExperimentSale,
    ExperimentVariant,
    Price,
    PriceChange,
    PriceList,
    PriceListEntry,
    Promotion,
    PromotionTarget,
    PromotionTier,
    SkuPlacement,
    SkuTaxClass,
    TaxRate,
    Voucher,
    VoucherRedemption,
    normalize_code,
)
from pricing.vouchers import validate_vouchers

logger = logging.getLogger(__name__)

SYSTEM = "system"

#: Code alphabet without look-alikes (0/O, 1/I/L), so codes survive being read aloud.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_BULK_CODES = 10_000


@transaction.atomic
def price_save(
    *, price: Price, changed_by: str = SYSTEM, changed_by_id: int | None = None
) -> Price:
    """Save a base price edited elsewhere (admin form): record history, announce the change."""
    price.full_clean()
    old = (
        Price.objects.select_for_update()
        .filter(pk=price.pk)
        .values("amount", "compare_at_amount")
        .first()
        if price.pk
        else None
    ) or {"amount": None, "compare_at_amount": None}
    price.save()
    now = timezone.now()
    changes = [
        PriceChange(
            sku=price.sku,
            currency=price.currency,
            field=field,
            old_amount=old[field],
            new_amount=getattr(price, field),
            changed_by=changed_by,
            changed_by_id=changed_by_id,
            changed_at=now,
        )
        for field in ("amount", "compare_at_amount")
        if old[field] != getattr(price, field)
    ]
    if changes:
        PriceChange.objects.bulk_create(changes)
        publish(
            PriceChanged(
                sku=price.sku,
                currency=price.currency,
                old_amount=old["amount"],
                new_amount=price.amount,
                changed_at=now,
                compare_at_amount=price.compare_at_amount,
                changed_by=changed_by,
            )
        )
    return price


@transaction.atomic
def price_set(
    *,
    sku: str,
    price: Money,
    compare_at: Money | None = None,
    changed_by: str = SYSTEM,
    changed_by_id: int | None = None,
) -> Price:
    """Set the base price of ``sku`` in ``price.currency``, and its compare-at price if given.

    Without ``compare_at`` the current one is kept while it is still above
    the price, and dropped otherwise (a "was" price below the price would
    mislead); so re-running an import of base prices changes nothing.
    """
    if compare_at is not None and compare_at.currency != price.currency:
        raise ValueError("the compare-at price must be in the price's currency")
    existing = Price.objects.select_for_update().filter(sku=sku, currency=price.currency).first()
    row = existing or Price(sku=sku, currency=price.currency)
    row.amount = price.amount
    if compare_at is not None:
        row.compare_at_amount = compare_at.amount
    elif row.compare_at_amount is not None and row.compare_at_amount <= price.amount:
        row.compare_at_amount = None
    return price_save(price=row, changed_by=changed_by, changed_by_id=changed_by_id)


@transaction.atomic
def price_list_entry_save(
    *, entry: PriceListEntry, changed_by: str = SYSTEM, changed_by_id: int | None = None
) -> PriceListEntry:
    """Save a customer-group price and record the change in the price history."""
    entry.full_clean()
    old = (
        PriceListEntry.objects.select_for_update()
        .filter(pk=entry.pk)
        .values_list("amount", flat=True)
        .first()
        if entry.pk
        else None
    )
    entry.save()
    if old != entry.amount:
        PriceChange.objects.create(
            sku=entry.sku,
            currency=entry.currency,
            price_list=entry.price_list,
            old_amount=old,
            new_amount=entry.amount,
            changed_by=changed_by,
            changed_by_id=changed_by_id,
            changed_at=timezone.now(),
        )
    return entry


@transaction.atomic
def price_list_upsert(
    *,
    name: str,
    customer_group: str,
    prices: Iterable[tuple[str, Money]],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    changed_by: str = SYSTEM,
) -> PriceList:
    """Make the price list ``name`` hold exactly ``prices``; history for each changed entry."""
    price_list = PriceList.objects.select_for_update().filter(name=name).first()
    price_list = price_list or PriceList(name=name)
    wanted = {
        "customer_group": customer_group,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    if price_list.pk is None or any(getattr(price_list, k) != v for k, v in wanted.items()):
        for field, value in wanted.items():
            setattr(price_list, field, value)
        price_list.full_clean()
        price_list.save()
    entries = {(e.sku, e.currency): e for e in price_list.entries.select_for_update()}
    for sku, price in prices:
        entry = entries.pop((sku, price.currency), None) or PriceListEntry(
            price_list=price_list, sku=sku, currency=price.currency
        )
        if entry.amount != price.amount:
            entry.amount = price.amount
            price_list_entry_save(entry=entry, changed_by=changed_by)
    for entry in entries.values():
        price_list_entry_delete(entry=entry, changed_by=changed_by)
    return price_list


@transaction.atomic
def price_list_entry_delete(
    *, entry: PriceListEntry, changed_by: str = SYSTEM, changed_by_id: int | None = None
) -> None:
    PriceChange.objects.create(
        sku=entry.sku,
        currency=entry.currency,
        price_list=entry.price_list,
        old_amount=entry.amount,
        new_amount=None,
        changed_by=changed_by,
        changed_by_id=changed_by_id,
        changed_at=timezone.now(),
    )
    entry.delete()


# --- Promotions -----------------------------------------------------------------


@transaction.atomic
def promotion_save(*, promotion: Promotion) -> Promotion:
    """Save a promotion's own fields; announce it with ``promotion_announce`` once its
    targets and tiers are saved too (the admin saves those after the promotion)."""
    promotion.full_clean()
    promotion.save()
    return promotion


def promotion_announce(*, promotion: Promotion) -> None:
    """Publish pricing.promotion_changed.v1 with what the promotion now covers."""
    targets = list(promotion.targets.all())

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


@transaction.atomic
def promotion_upsert(
    *,
    slug: str,
    fields: dict,
    targets: Iterable[tuple[str, str]] = (),
    tiers: Iterable[tuple[int, Decimal | int]] = (),
) -> Promotion:
    """Create or replace the promotion ``slug`` with its targets and tiers; announce it.

    Idempotent: when nothing differs, nothing is written and nothing published.
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


@transaction.atomic
def promotion_delete(*, promotion: Promotion) -> None:
    """Delete a promotion (no voucher may refer to it) and announce it as inactive."""
    promotion.is_active = False
    promotion_announce(promotion=promotion)
    promotion.delete()


# --- Vouchers -------------------------------------------------------------------


def _new_code(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


@transaction.atomic
def vouchers_generate(
    *,
    promotion: Promotion,
    count: int,
    prefix: str = "",
    batch: str = "",
    valid_until: datetime | None = None,
    length: int = 10,
) -> list[Voucher]:
    """Create ``count`` single-use codes for ``promotion`` (unguessable, unique)."""
    if not 1 <= count <= MAX_BULK_CODES:
        raise ValueError(f"between 1 and {MAX_BULK_CODES} codes at a time")
    prefix = normalize_code(prefix)
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {_new_code(prefix, length) for _ in range(count - len(codes))}
        taken = set(Voucher.objects.filter(code__in=wanted).values_list("code", flat=True))
        codes |= wanted - taken
    return Voucher.objects.bulk_create(
        [
            Voucher(
                code=code,
                promotion=promotion,
                usage_limit=1,
                per_customer_limit=None,
                valid_until=valid_until,
                batch=batch,
            )
            for code in sorted(codes)
        ]
    )


@transaction.atomic
def vouchers_redeem(
    *,
    codes: Collection[str],
    order_ref: str,
    customer: Customer | None,
    subtotal: Money,
) -> list[Redemption]:
    """Claim one use of each code for ``order_ref``, or none at all.

    Called by orders inside its own transaction while the order is placed.
    The voucher rows are locked (in a stable order) and checked again under
    the lock, and each use is taken by a conditional UPDATE, so a code with
    one use left goes to exactly one of two parallel checkouts; the other
    gets VoucherRejected and its whole transaction rolls back. Calling again
    for the same order returns the existing claims.
    """
    codes = sorted({normalize_code(code) for code in codes if code.strip()})
    if not codes:
        return []
    locked = {
        v.code: v
        for v in Voucher.objects.select_for_update(of=("self",))
        .filter(code__in=codes)
        .select_related("promotion")
        .order_by("pk")
    }
    existing = list(
        VoucherRedemption.objects.filter(
            voucher__code__in=codes, order_ref=order_ref, released_at__isnull=True
        ).select_related("voucher")
    )
    if len(existing) == len(codes):
        return [_redemption(r) for r in existing]
    if existing:
        raise ValueError(f"order {order_ref} already claimed other vouchers")
    validate_vouchers(
        codes=codes, customer=customer, subtotal=subtotal, at=timezone.now(), vouchers=locked
    )
    now = timezone.now()
    redemptions = []
    for code in codes:
        voucher = locked[code]
        claimed = (
            Voucher.objects.filter(pk=voucher.pk)
            .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
            .update(times_used=F("times_used") + 1)
        )
        if not claimed:
            raise VoucherRejected(code, "has already been used the maximum number of times")
        redemptions.append(
            VoucherRedemption(
                voucher=voucher,
                order_ref=order_ref,
                customer_id=customer.customer_id if customer else None,
                redeemed_at=now,
            )
        )
    VoucherRedemption.objects.bulk_create(redemptions)
    return [_redemption(r) for r in redemptions]


def _redemption(row: VoucherRedemption) -> Redemption:
    return Redemption(
        code=row.voucher.code,
        order_ref=row.order_ref,
        customer_id=row.customer_id,
        redeemed_at=row.redeemed_at,
    )


@transaction.atomic
def vouchers_release(*, order_ref: str) -> int:
    """Give back the uses ``order_ref`` claimed (order cancelled). Idempotent; returns how many."""
    redemptions = list(
        VoucherRedemption.objects.select_for_update()
        .filter(order_ref=order_ref, released_at__isnull=True)
        .order_by("voucher_id")
    )
    now = timezone.now()
    for redemption in redemptions:
        Voucher.objects.filter(pk=redemption.voucher_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )
        redemption.released_at = now
    VoucherRedemption.objects.bulk_update(redemptions, ["released_at"])
    return len(redemptions)


@transaction.atomic
def voucher_upsert(
    *,
    code: str,
    promotion_slug: str,
    usage_limit: int | None = None,
    per_customer_limit: int | None = None,
    min_order: Money | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    is_active: bool = True,
) -> Voucher:
    voucher = Voucher.objects.select_for_update().filter(code=normalize_code(code)).first()
    voucher = voucher or Voucher(code=normalize_code(code))
    wanted = {
        "promotion": Promotion.objects.get(slug=promotion_slug),
        "usage_limit": usage_limit,
        "per_customer_limit": per_customer_limit,
        "min_order_amount": min_order.amount if min_order else None,
        "min_order_currency": min_order.currency if min_order else "",
        "valid_from": valid_from,
        "valid_until": valid_until,
        "is_active": is_active,
    }
    if voucher.pk is None or any(getattr(voucher, k) != v for k, v in wanted.items()):
        for field, value in wanted.items():
            setattr(voucher, field, value)
        voucher.full_clean()
        voucher.save()
    return voucher


@transaction.atomic
def voucher_batch_ensure(
    *, promotion_slug: str, batch: str, count: int, prefix: str = ""
) -> list[str]:
    """Top the batch up to ``count`` single-use codes; returns all its codes."""
    promotion = Promotion.objects.get(slug=promotion_slug)
    have = Voucher.objects.filter(batch=batch).count()
    if have < count:
        vouchers_generate(promotion=promotion, count=count - have, prefix=prefix, batch=batch)
    return list(Voucher.objects.filter(batch=batch).order_by("code").values_list("code", flat=True))


# --- Tax ---------------------------------------------------------------------------


def tax_mode_set(*, currency: str, prices_include_tax: bool) -> None:
    CurrencyTaxMode.objects.update_or_create(
        currency=currency, defaults={"prices_include_tax": prices_include_tax}
    )


def tax_rate_set(*, country: str, tax_class: str, rate: Decimal) -> None:
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValueError("a tax rate is a fraction between 0 and 1, e.g. 0.19")
    TaxRate.objects.update_or_create(
        country=country.upper(), tax_class=tax_class, defaults={"rate": rate}
    )


def sku_tax_class_set(*, sku: str, tax_class: str) -> None:
    SkuTaxClass.objects.update_or_create(sku=sku, defaults={"tax_class": tax_class})


# --- Catalog projection ----------------------------------------------------------


@transaction.atomic
def placement_record(
    *,
    product_id: int,
    product_sku: str,
    variant_skus: Collection[str],
    category_slugs: Collection[str],
    brand: str | None,
    changed_at: datetime | None = None,
) -> bool:
    """Make pricing's SKU → product/categories rows match what the catalog announced.

    Idempotent: a repeated event writes the same rows. SKUs the product no
    longer has are forgotten. Out-of-order safe: each row keeps the
    catalog's ``changed_at`` it was written from, and an announcement older
    than the newest one applied to the product is ignored. The product's
    rows are locked before they are compared, so two parallel deliveries
    for an already placed product apply one after the other. An announcement
    without ``changed_at`` (published before the catalog sent one) is applied
    as it comes. Returns whether it was applied.
    """
    applied = (
        SkuPlacement.objects.select_for_update()
        .filter(product_id=product_id)
        .order_by("pk")
        .values_list("source_changed_at", flat=True)
    )
    newest = max((at for at in applied if at is not None), default=None)
    if changed_at is not None and newest is not None and changed_at < newest:
        return False
    skus = list(dict.fromkeys(variant_skus)) or [product_sku]
    SkuPlacement.objects.filter(product_id=product_id).exclude(sku__in=skus).delete()
    SkuPlacement.objects.bulk_create(
        [
            SkuPlacement(
                sku=sku,
                product_id=product_id,
                product_sku=product_sku,
                category_slugs=list(category_slugs),
                brand=brand or "",
                source_changed_at=changed_at,
            )
            for sku in skus
        ],
        update_conflicts=True,
        unique_fields=["sku"],
        update_fields=[
            "product_id",
            "product_sku",
            "category_slugs",
            "brand",
            "source_changed_at",
            "updated_at",
        ],
    )
    return True


# --- Experiments ---------------------------------------------------------------


@transaction.atomic
def experiment_upsert(*, spec: ExperimentSpec) -> Experiment:
    """Create or update an experiment and its variants (by key). Status is left alone."""
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
    return experiment


def demand_set(*, sku: str, units_last_7_days: int) -> None:
    DemandSignal.objects.update_or_create(
        sku=sku, defaults={"units_last_7_days": units_last_7_days}
    )


@transaction.atomic
def experiment_start(*, experiment: Experiment) -> Experiment:
    experiment.full_clean()
    if not experiment.variants.exists():
        raise ValueError("an experiment needs variants before it can start")
    experiment.status = Experiment.Status.RUNNING
    experiment.started_at = experiment.started_at or timezone.now()
    experiment.stopped_at = None
    experiment.save()
    return experiment


@transaction.atomic
def experiment_stop(*, experiment: Experiment) -> Experiment:
    """Stop: from now on every shopper gets the base price again."""
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
        with transaction.atomic():
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


@transaction.atomic
def experiment_sales_record(*, order_ref: str, quote: Quote) -> int:
    """Record the lines of a placed order that were priced in an experiment. Idempotent.

    Revenue is the line total after the line's own discounts (order-level
    discounts are not shared out here).
    """
    lines = [line for line in quote.lines if line.experiment is not None]
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
