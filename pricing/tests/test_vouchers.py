"""Vouchers: specific refusals, limits, claiming and releasing, bulk single-use codes."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from pricing import api
from pricing.dtos import BasketLine, Customer, VoucherRejected
from pricing.models import Voucher, VoucherRedemption
from pricing.services.vouchers import vouchers_generate
from pricing.tests.conftest import eur, promotion

pytestmark = pytest.mark.usefixtures("shop")

ALICE = Customer(customer_id=1)
BOB = Customer(customer_id=2)


@pytest.fixture
def welcome():
    """A voucher-only 10 % order discount."""
    return promotion(
        "welcome", reason="10 % welcome discount", scope="order", percent=10, requires_voucher=True
    )


def voucher(welcome, code="WELCOME", **fields) -> Voucher:
    return Voucher.objects.create(code=code, promotion=welcome, **fields)


ONE_TEA = (BasketLine("TEA-1", 1),)


def refusal_of(code, *, lines=ONE_TEA, customer=None, currency="EUR") -> str:
    with pytest.raises(VoucherRejected) as excinfo:
        api.quote(lines=lines, currency=currency, customer=customer, voucher_codes=[code])
    assert excinfo.value.field == "voucher_codes"
    assert excinfo.value.code == code.strip().upper()
    return excinfo.value.reason


def test_a_voucher_unlocks_its_promotion_case_insensitively(welcome):
    voucher(welcome)
    quote = api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR", voucher_codes=[" welcome "])
    (applied,) = quote.order_discounts
    assert (applied.reason, applied.amount, applied.voucher_code) == (
        "10 % welcome discount",
        eur("5.00"),
        "WELCOME",
    )
    assert quote.voucher_codes == ("WELCOME",)
    assert api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR").order_discounts == ()


def test_refusals_say_exactly_why(welcome):
    now = timezone.now()
    expiry = datetime(2026, 10, 1, tzinfo=now.tzinfo)
    voucher(welcome, "OLD", valid_until=expiry)
    voucher(welcome, "SOON", valid_from=now + timedelta(days=3))
    voucher(welcome, "BIG", min_order_amount=Decimal(50), min_order_currency="EUR")
    voucher(welcome, "USED", usage_limit=2, times_used=2)
    voucher(welcome, "MINE", per_customer_limit=1)
    voucher(welcome, "OFF", is_active=False)

    assert refusal_of("NOPE") == "is not a valid code"
    assert refusal_of("old") == "expired on 1 October 2026"
    with translation.override("de"):  # the day as German writes it
        assert refusal_of("old") == "ist am 1. Oktober 2026 abgelaufen"
    soon = now + timedelta(days=3)
    assert refusal_of("SOON") == f"is valid from {soon.day} {soon:%B} {soon.year}"
    assert refusal_of("BIG") == "needs a minimum order of EUR 50.00"
    assert refusal_of("BIG", currency="USD") == "is valid only for orders in EUR"
    assert refusal_of("USED") == "has already been used the maximum number of times"
    assert refusal_of("MINE") == "needs you to be signed in"
    assert refusal_of("OFF") == "is no longer valid"
    # the minimum is on the basket before discounts: 50.00 is enough
    assert api.quote(
        lines=[BasketLine("PAN-1", 1)], currency="EUR", voucher_codes=["BIG"]
    ).order_discounts


def test_a_code_that_discounts_nothing_in_the_basket_is_refused():
    gated = promotion("pans", percent=20, requires_voucher=True, targets=[("sku", "PAN-1")])
    Voucher.objects.create(code="PANS", promotion=gated)
    assert refusal_of("PANS") == (
        "does not apply to the items in this basket (or to other offers on them)"
    )


def test_two_codes_for_the_same_offer_are_refused(welcome):
    voucher(welcome, "A1")
    voucher(welcome, "A2")
    assert refusal_of_many(["A1", "A2"]) == ("A2", "is for the same offer as A1")


def refusal_of_many(codes):
    with pytest.raises(VoucherRejected) as excinfo:
        api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", voucher_codes=codes)
    return excinfo.value.code, excinfo.value.reason


def test_redeeming_counts_uses_and_releasing_gives_them_back(welcome):
    code = voucher(welcome, usage_limit=1)
    claimed = api.redeem_vouchers(
        codes=["welcome"], order_ref="O-1", customer=ALICE, subtotal=eur("60")
    )
    assert [(r.code, r.order_ref, r.customer_id) for r in claimed] == [("WELCOME", "O-1", 1)]
    code.refresh_from_db()
    assert code.times_used == 1
    assert refusal_of("WELCOME") == "has already been used the maximum number of times"

    # the same order claiming again is not a second use
    api.redeem_vouchers(codes=["WELCOME"], order_ref="O-1", customer=ALICE, subtotal=eur("60"))
    code.refresh_from_db()
    assert code.times_used == 1

    assert api.release_vouchers(order_ref="O-1") == 1
    assert api.release_vouchers(order_ref="O-1") == 0
    code.refresh_from_db()
    assert code.times_used == 0
    assert VoucherRedemption.objects.get().released_at is not None
    api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR", voucher_codes=["WELCOME"])


def test_per_customer_limit_counts_only_that_customers_unreleased_uses(welcome):
    voucher(welcome, per_customer_limit=1)
    api.redeem_vouchers(codes=["WELCOME"], order_ref="O-1", customer=ALICE, subtotal=eur("60"))
    assert refusal_of("WELCOME", customer=ALICE) == "can be used once per customer"
    with pytest.raises(VoucherRejected):
        api.redeem_vouchers(codes=["WELCOME"], order_ref="O-2", customer=ALICE, subtotal=eur("60"))
    api.redeem_vouchers(codes=["WELCOME"], order_ref="O-3", customer=BOB, subtotal=eur("60"))
    api.release_vouchers(order_ref="O-1")
    api.redeem_vouchers(codes=["WELCOME"], order_ref="O-4", customer=ALICE, subtotal=eur("60"))


def test_redeeming_is_all_or_nothing(welcome):
    voucher(welcome, "GOOD")
    other = promotion("other", scope="order", percent=5, requires_voucher=True)
    Voucher.objects.create(code="EMPTY", promotion=other, usage_limit=1, times_used=1)
    with pytest.raises(VoucherRejected):
        api.redeem_vouchers(
            codes=["GOOD", "EMPTY"], order_ref="O-1", customer=None, subtotal=eur("60")
        )
    assert Voucher.objects.get(code="GOOD").times_used == 0
    assert not VoucherRedemption.objects.exists()


def test_minimum_order_is_checked_again_at_redemption(welcome):
    voucher(welcome, min_order_amount=Decimal(50), min_order_currency="EUR")
    with pytest.raises(VoucherRejected, match=r"minimum order of EUR 50\.00"):
        api.redeem_vouchers(
            codes=["WELCOME"], order_ref="O-1", customer=None, subtotal=eur("49.99")
        )


def test_bulk_generation_makes_unique_single_use_codes(welcome):
    codes = vouchers_generate(promotion=welcome, count=200, prefix="spring-", batch="S26")
    assert len({c.code for c in codes}) == 200
    assert all(c.code.startswith("SPRING-") and len(c.code) == 17 for c in codes)
    assert {(c.usage_limit, c.batch) for c in Voucher.objects.filter(batch="S26")} == {(1, "S26")}
    first = codes[0].code
    api.redeem_vouchers(codes=[first], order_ref="O-1", customer=None, subtotal=eur("10"))
    assert refusal_of(first) == "has already been used the maximum number of times"


@pytest.mark.parametrize("count", [0, 10_001])
def test_bulk_generation_refuses_silly_counts(welcome, count):
    with pytest.raises(ValueError, match="between 1 and"):
        vouchers_generate(promotion=welcome, count=count)
