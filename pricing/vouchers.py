"""Checking voucher codes against a basket, with the specific reason a code is refused.

The same checks run when a quote is made and again, under a row lock, when
the order claims the voucher (``services.vouchers.vouchers_redeem``), so a code that
expired or ran out between cart and checkout is refused at checkout too.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from kernel.money import Money
from pricing import selectors
from pricing.dtos import Customer, VoucherRejected
from pricing.models import Promotion, Voucher


def _day(moment: datetime) -> str:
    """The day as the shopper's language writes it (``1 October 2026``, ``1. Oktober 2026``)."""
    return formats.date_format(timezone.localtime(moment).date(), "DATE_FORMAT")


def refusal(  # noqa: PLR0911, PLR0912 - one early return per reason, in the order a shopper fixes them
    voucher: Voucher, *, customer: Customer | None, subtotal: Money, at: datetime, own_uses: int
) -> str | None:
    """Why ``voucher`` cannot be used for this basket, or None if it can."""
    promotion = voucher.promotion
    if not voucher.is_active or not promotion.is_active:
        return gettext("is no longer valid")
    if voucher.valid_from and at < voucher.valid_from:
        return gettext("is valid from %(day)s") % {"day": _day(voucher.valid_from)}
    if voucher.valid_until and at >= voucher.valid_until:
        return gettext("expired on %(day)s") % {"day": _day(voucher.valid_until)}
    if promotion.starts_at and at < promotion.starts_at:
        return gettext("is valid from %(day)s") % {"day": _day(promotion.starts_at)}
    if promotion.ends_at and at >= promotion.ends_at:
        return gettext("expired on %(day)s") % {"day": _day(promotion.ends_at)}
    if voucher.usage_limit is not None and voucher.times_used >= voucher.usage_limit:
        return gettext("has already been used the maximum number of times")
    if voucher.per_customer_limit is not None:
        if customer is None or customer.customer_id is None:
            return gettext("needs you to be signed in")
        if own_uses >= voucher.per_customer_limit:
            limit = voucher.per_customer_limit
            return ngettext(
                "can be used once per customer", "can be used %(n)s times per customer", limit
            ) % {"n": limit}
    if promotion.kind == Promotion.Kind.FIXED and promotion.currency != subtotal.currency:
        return gettext("is valid only for orders in %(currency)s") % {
            "currency": promotion.currency
        }
    if voucher.min_order_amount is not None:
        if voucher.min_order_currency != subtotal.currency:
            return gettext("is valid only for orders in %(currency)s") % {
                "currency": voucher.min_order_currency
            }
        minimum = Money(voucher.min_order_amount, voucher.min_order_currency)
        if subtotal < minimum:
            return gettext("needs a minimum order of %(minimum)s") % {"minimum": minimum}
    return None


def validate_vouchers(
    *,
    codes: Collection[str],
    customer: Customer | None,
    subtotal: Money,
    at: datetime,
    vouchers: dict[str, Voucher] | None = None,
) -> dict[int, str]:
    """Check normalized ``codes``; return {promotion id: code} of the promotions they unlock.

    Raises VoucherRejected for the first code (in code order) that cannot be
    used, including a second code for an offer another code already unlocks.
    """
    if not codes:
        return {}
    if vouchers is None:
        vouchers = selectors.vouchers_by_code(codes=codes)
    own_uses = {}
    if customer and customer.customer_id is not None:
        own_uses = selectors.redemptions_by_customer(
            voucher_ids=[v.pk for v in vouchers.values()], customer_id=customer.customer_id
        )
    unlocked: dict[int, str] = {}
    for code in sorted(codes):
        voucher = vouchers.get(code)
        if voucher is None:
            raise VoucherRejected(code, gettext("is not a valid code"), unknown=True)
        reason = refusal(
            voucher,
            customer=customer,
            subtotal=subtotal,
            at=at,
            own_uses=own_uses.get(voucher.pk, 0),
        )
        if reason is None and voucher.promotion_id in unlocked:
            reason = gettext("is for the same offer as %(code)s") % {
                "code": unlocked[voucher.promotion_id]
            }
        if reason:
            raise VoucherRejected(code, reason)
        unlocked[voucher.promotion_id] = code
    return unlocked
