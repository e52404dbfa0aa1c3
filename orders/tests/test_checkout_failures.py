"""Checkout under failure: every step and every compensation fails, with the documented outcome.

The table in docs/orders.md ("Placing") is the specification: a failure
before the order exists leaves no order, no stock allocated, the voucher
use free and the cart intact (the shopper may try again); a failed
compensation is logged and recorded for staff, and the other compensations
still run; a failure after the order exists leaves the order standing.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from inventory import api as inventory_api
from inventory.dtos import InsufficientStock, Shortage
from orders.checkout import services as checkout
from orders.dtos import CheckoutError, OrderError
from orders.models import Cart, CompensationFailure, Order
from orders.tests.test_checkout import failing, place, ready_cart, stock
from pricing.dtos import VoucherRejected

pytestmark = pytest.mark.usefixtures("shop")

STEP = {
    "reserve": (checkout.inventory_api, "reserve"),
    "redeem vouchers": (checkout.pricing_api, "redeem_vouchers"),
    "allocate": (checkout.inventory_api, "allocate"),
    "create the order": (checkout.services, "order_place"),
    "record experiment sales": (checkout.pricing_api, "record_experiment_sales"),
    "release stock": (checkout.inventory_api, "release_allocation"),
    "release vouchers": (checkout.pricing_api, "release_vouchers"),
}


@dataclass(frozen=True)
class Failure:
    """Steps to break and what the shopper and the shop must see afterwards."""

    breaks: dict[str, BaseException]
    refusal: str  # the message the shopper gets (a regex)
    order_stands: bool = False
    stock_leaked: bool = False  # the allocation could not be released (recorded)
    voucher_leaked: bool = False  # the voucher use could not be released (recorded)


DOWN = RuntimeError("service down")
CASES = {
    "reserve: short": Failure({"reserve": InsufficientStock([Shortage("TEA-1", 2, 1)])}, "TEA-1"),
    "reserve: down": Failure({"reserve": DOWN}, "service down"),
    "redeem: refused": Failure(
        {"redeem vouchers": VoucherRejected("LASTONE", "has been used up")}, "LASTONE"
    ),
    "redeem: down": Failure({"redeem vouchers": DOWN}, "service down"),
    "allocate: short": Failure({"allocate": InsufficientStock([Shortage("TEA-1", 2, 1)])}, "TEA-1"),
    "allocate: down": Failure({"allocate": DOWN}, "service down"),
    "create: down": Failure({"create the order": DOWN}, "service down"),
    "experiment sales: down": Failure({"record experiment sales": DOWN}, "", order_stands=True),
    "release vouchers fails too": Failure(
        {"allocate": DOWN, "release vouchers": RuntimeError("pricing down")},
        "service down",
        voucher_leaked=True,
    ),
    "release stock fails too": Failure(
        {"create the order": DOWN, "release stock": RuntimeError("inventory down")},
        "service down",
        stock_leaked=True,
    ),
    "both releases fail": Failure(
        {
            "create the order": DOWN,
            "release stock": RuntimeError("inventory down"),
            "release vouchers": RuntimeError("pricing down"),
        },
        "service down",
        stock_leaked=True,
        voucher_leaked=True,
    ),
}


def the_voucher_is_free() -> bool:
    """The voucher's single use can be redeemed by another checkout."""
    try:
        place(ready_cart(voucher="LASTONE"), token="another-checkout-0123")
    except OrderError:  # applying it (CartError) or redeeming it (CheckoutError) is refused
        return False
    return True


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_failure_at_each_step_has_the_documented_outcome(monkeypatch, caplog, case):
    cart = ready_cart(voucher="LASTONE") if "reserve" not in case.breaks else None
    for step, error in case.breaks.items():
        monkeypatch.setattr(*STEP[step], failing(error))
    with caplog.at_level(logging.ERROR, logger="orders.checkout.services"):
        if case.order_stands:
            number = place(cart)
        elif cart is None:
            with pytest.raises((CheckoutError, RuntimeError), match=case.refusal):
                ready_cart(voucher="LASTONE")
        else:
            with pytest.raises((CheckoutError, RuntimeError), match=case.refusal):
                place(cart)
    monkeypatch.undo()

    if case.order_stands:
        assert Order.objects.get(number=number).lines.count() == 1
        assert stock().allocated == 2
        assert "experiment sales" in caplog.text
        return
    assert not Order.objects.exists()
    assert stock().allocated == (2 if case.stock_leaked else 0)
    if cart is not None:  # intact, and free for the shopper to try again
        kept = Cart.objects.get(pk=cart.pk)
        assert (kept.placing_token, kept.lines.count()) == ("", 1)
    failed = set(CompensationFailure.objects.values_list("step", flat=True))
    leaked = {"release stock"} if case.stock_leaked else set()
    leaked |= {"release vouchers"} if case.voucher_leaked else set()
    assert failed == leaked
    for step in leaked:
        assert f"could not {step}" in caplog.text
    assert the_voucher_is_free() is not case.voucher_leaked


def test_a_failed_compensation_is_recorded_for_staff_with_the_order_number(monkeypatch):
    cart = ready_cart(voucher="LASTONE")
    monkeypatch.setattr(*STEP["create the order"], failing(RuntimeError("db hiccup")))
    monkeypatch.setattr(*STEP["release stock"], failing(RuntimeError("inventory down")))
    with pytest.raises(RuntimeError, match="db hiccup"):  # the shopper sees the original error
        place(cart)
    record = CompensationFailure.objects.get()
    assert (record.step, record.cart_id, record.resolved) == ("release stock", cart.pk, False)
    assert record.error == "RuntimeError: inventory down"
    assert record.order_number.startswith("CM-")


def test_the_admin_lists_compensation_failures_and_staff_mark_them_resolved(
    monkeypatch, admin_client
):
    record = CompensationFailure.objects.create(
        order_number="CM-AAAA-BBBB", cart_id=7, step="release stock", error="RuntimeError: down"
    )
    listing = admin_client.get("/admin/orders/compensationfailure/")
    assert "CM-AAAA-BBBB" in listing.content.decode()
    admin_client.post(
        "/admin/orders/compensationfailure/",
        {"action": "mark_resolved", "_selected_action": [record.pk]},
    )
    record.refresh_from_db()
    assert record.resolved


# --- The placing claim -----------------------------------------------------------------


def claimed_by_a_dead_process(cart: Cart, *, seconds_ago: float) -> None:
    Cart.objects.filter(pk=cart.pk).update(
        placing_token="dead-process-token",
        placing_claimed_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def test_a_claim_left_by_a_dead_process_is_taken_over_after_the_timeout():
    cart = ready_cart()
    timeout = settings.ORDERS_PLACING_CLAIM_TIMEOUT
    claimed_by_a_dead_process(cart, seconds_ago=timeout / 2)
    with pytest.raises(CheckoutError, match="already being placed"):
        place(cart)  # the claim may still be alive: wait
    claimed_by_a_dead_process(cart, seconds_ago=timeout + 1)
    number = place(cart)
    assert list(Order.objects.values_list("number", flat=True)) == [number]
    assert place(cart) == number  # the same token again: the same order, not a second


def test_a_slow_process_whose_claim_was_taken_over_creates_no_order(monkeypatch):
    """A process that only looked dead finds the cart taken over and undoes its own steps."""
    cart = ready_cart(voucher="LASTONE")
    real_allocate = checkout.inventory_api.allocate

    def allocate_after_a_takeover(**kwargs):
        Cart.objects.filter(pk=cart.pk).update(
            placing_token="the-new-submission", placing_claimed_at=timezone.now()
        )
        return real_allocate(**kwargs)

    monkeypatch.setattr(checkout.inventory_api, "allocate", allocate_after_a_takeover)
    with pytest.raises(CheckoutError, match="already being placed"):
        place(cart)
    monkeypatch.undo()
    assert not Order.objects.exists()
    assert stock().allocated == 0
    kept = Cart.objects.get(pk=cart.pk)
    assert (kept.placing_token, kept.lines.count()) == ("the-new-submission", 1)
    assert the_voucher_is_free()


def test_after_the_hold_expired_and_the_stock_went_elsewhere_checkout_refuses_naming_it(
    monkeypatch,
):
    real_reserve = inventory_api.reserve

    def hold_for_a_microsecond(**kwargs):
        return real_reserve(**{**kwargs, "ttl": timedelta(microseconds=1)})

    monkeypatch.setattr(inventory_api, "reserve", hold_for_a_microsecond)
    late = ready_cart(voucher="LASTONE")  # its hold has expired by the time it places
    monkeypatch.undo()
    quicker = ready_cart(quantity=20)  # someone else holds and takes every unit
    first = place(quicker, token="the-quicker-shopper-0123")

    with pytest.raises(CheckoutError, match=r"Not enough stock .*TEA-1: only 0 left"):
        place(late)
    assert list(Order.objects.values_list("number", flat=True)) == [first]
    assert stock().allocated == 20  # the quicker shopper's units only
    kept = Cart.objects.get(pk=late.pk)
    assert (kept.placing_token, kept.lines.count()) == ("", 1)
    inventory_api.set_stock(sku="TEA-1", quantity=40)
    assert the_voucher_is_free()  # the refused checkout's voucher use was given back


def test_a_redemption_whose_answer_was_lost_is_released_not_kept(monkeypatch):
    """Pricing out of process redeemed the voucher, then its answer was lost (a timeout, a
    reset on the last retry): checkout gets ``ServiceUnavailable`` without knowing whether
    the use was claimed. It was, for an order number that will never exist; released, the
    shopper's next try can use the voucher again (a single-use one used to stay spent)."""
    from kernel.remote.client import ServiceUnavailable

    redeem = checkout.pricing_api.redeem_vouchers

    def redeemed_then_lost(**kwargs):
        redeem(**kwargs)
        raise ServiceUnavailable("pricing.redeem_vouchers: Read timed out")

    cart = ready_cart(voucher="LASTONE")
    monkeypatch.setattr(checkout.pricing_api, "redeem_vouchers", redeemed_then_lost)
    with pytest.raises(ServiceUnavailable):
        place(cart)
    monkeypatch.undo()

    assert not Order.objects.exists()
    assert not CompensationFailure.objects.exists()
    assert Cart.objects.get(pk=cart.pk).placing_token == ""
    assert the_voucher_is_free()
