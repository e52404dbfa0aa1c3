"""Voucher codes: generating and defining them, and claiming and giving back their uses.

Whether a code may be used for a basket is decided in ``pricing.vouchers``;
``vouchers_redeem`` asks it again under the row lock.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from kernel.databases import atomic
from kernel.money import Money
from pricing.dtos import Customer, Redemption, VoucherRejected
from pricing.models import Promotion, Voucher, VoucherRedemption, normalize_code
from pricing.services.rows import save_if_changed
from pricing.vouchers import validate_vouchers

#: Code alphabet without look-alikes (0/O, 1/I/L), so codes survive being read aloud.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_BULK_CODES = 10_000


def _new_code(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


@atomic("pricing")
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


@atomic("pricing")
def vouchers_redeem(
    *,
    codes: Iterable[str],
    order_ref: str,
    customer: Customer | None,
    subtotal: Money,
) -> list[Redemption]:
    """Claim one use of each code for ``order_ref``, or none at all.

    Called by orders while the order is placed, before the order exists
    (orders gives the uses back with ``vouchers_release`` if a later step
    fails). The voucher rows are locked (in a stable order) and checked
    again under the lock, and each use is taken by a conditional UPDATE, so
    a code with one use left goes to exactly one of two parallel checkouts;
    the other gets VoucherRejected and nothing is claimed for it. Calling
    again for the same order returns the existing claims.
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
            raise VoucherRejected(
                code, gettext("has already been used the maximum number of times")
            )
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


@atomic("pricing")
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


@atomic("pricing")
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
    save_if_changed(voucher, wanted)
    return voucher


@atomic("pricing")
def voucher_batch_ensure(
    *, promotion_slug: str, batch: str, count: int, prefix: str = ""
) -> list[str]:
    """Top the batch up to ``count`` single-use codes; returns all its codes."""
    promotion = Promotion.objects.get(slug=promotion_slug)
    have = Voucher.objects.filter(batch=batch).count()
    if have < count:
        vouchers_generate(promotion=promotion, count=count - have, prefix=prefix, batch=batch)
    return list(Voucher.objects.filter(batch=batch).order_by("code").values_list("code", flat=True))
