"""Checkout: from a cart to a placed order, one context's step at a time, with compensations.

1. ``checkout_start`` reserves the cart's stock (``inventory.api.reserve``,
   owner ``cart:<id>``, ``ORDERS_CHECKOUT_HOLD_MINUTES``).
2. ``checkout_details_set`` stores the e-mail, addresses (validated per
   country by ``accounts.api.validate_address``) and the shipping method
   (the API sends them with the order: ``checkout_place`` stores them with
   its claim of the cart).
3. ``checkout_review`` quotes again, with the shipping charge (pricing taxes
   it at the shipping country's rate), and remembers the total shown.
4. ``checkout_place`` places the order. Each context's step commits in its
   own transaction, in this order, and a failure undoes the steps before it:

   ====================  ==========================================
   step                  on failure of a later step
   ====================  ==========================================
   quote (read)          —
   redeem vouchers       ``pricing.api.release_vouchers(order_ref)``
   allocate stock        ``inventory.api.release_allocation(order_ref=)``
   create the order      (its own transaction rolls back)
   ====================  ==========================================

   The order's number is drawn first, because vouchers and stock are
   claimed under it. Experiment sales are recorded after the order exists
   (idempotent; a failure there is logged and never undoes an order).
   Every compensation runs even if another one fails; a failed one is
   logged and left as a ``CompensationFailure`` for staff (admin).
   The cart row's ``placing_token`` lets one submission of the final form in
   at a time, and ``PlacedCheckout`` maps the form's token to its order, so
   a double click or a refresh gets the first order back, never a second.
   A claim older than ``ORDERS_PLACING_CLAIM_TIMEOUT`` seconds was left by a
   process that died and is taken over; the order is created only while the
   claim is still ours, so a slow process that lost it creates none.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext

from accounts import api as accounts_api
from accounts.dtos import InvalidAddress, PostalAddress
from inventory import api as inventory_api
from inventory.dtos import InsufficientStock, Line
from kernel import metrics
from kernel.databases import atomic
from kernel.money import Money
from orders import numbers, selectors, services
from orders.cart import counts
from orders.cart.pricing import CartView, priced_cart
from orders.dtos import (
    CheckoutConflict,
    CheckoutError,
    CheckoutShortOfStock,
    OrderDetail,
    OrderDraft,
)
from orders.models import Cart, CompensationFailure, Order, OrderLine, PlacedCheckout
from orders.shipping import ShippingMethod, method
from pricing import api as pricing_api
from pricing.dtos import Quote, Shopper, VoucherRejected

logger = logging.getLogger(__name__)

#: How long a repeated submission waits for its twin to place the order, and how often it looks.
DOUBLE_SUBMIT_WAIT = timedelta(seconds=20)
DOUBLE_SUBMIT_POLL = timedelta(milliseconds=50)


class TotalChanged(CheckoutError):
    """The total to pay is not the one the shopper reviewed; ``new_total`` is the current one."""

    http_status = 409

    def __init__(self, new_total: Money) -> None:
        self.new_total = new_total
        super().__init__(
            gettext(
                "The total has changed to %(total)s since you reviewed your order. "
                "Please check it and confirm again."
            )
            % {"total": new_total}
        )

    def http_body(self) -> dict[str, object]:
        shown = self.new_total.rounded()
        return {
            "detail": str(self),
            "code": "total_changed",
            "new_total": {"amount": str(shown.amount), "currency": shown.currency},
        }


class AddressesInvalid(CheckoutError):
    """``errors``: {"shipping_address" | "billing_address": {field: [messages]}}.

    REST answers a 422: well formed, refused by the country's rules.
    """

    http_status = 422

    def __init__(self, errors: dict[str, dict[str, list[str]]]) -> None:
        self.errors = errors
        super().__init__(gettext("Please correct the address."))

    def http_body(self) -> dict[str, object]:
        return self.errors


class ShippingMethodRefused(CheckoutError):
    """A shipping method the shop does not offer, or not to the shipping address's country.

    REST answers a 422 on ``shipping_method``: any string is a method to the
    schema (the methods are staff's data), so the request was well formed.
    """

    http_status = 422
    field = "shipping_method"


@dataclass(frozen=True, slots=True)
class CheckoutSummary:
    """Exactly what will be charged.

    ``cart`` is the goods as priced for the shipping country (its quote
    decides free shipping); ``quote`` is the same basket quoted again with
    the shipping charge, so shipping is taxed at the destination's rate and
    ``quote.tax`` and ``quote.total`` are what the order records and charges.
    """

    cart: CartView
    shipping_method: ShippingMethod
    quote: Quote

    @property
    def shipping(self) -> Money:
        return self.quote.shipping.amount

    @property
    def shipping_tax(self) -> Money:
        return self.quote.shipping.tax

    @property
    def grand_total(self) -> Money:
        return self.quote.total


def _stock_lines(cart: Cart) -> list[Line]:
    return [Line(sku=line.sku, quantity=line.quantity) for line in cart.lines.all()]


def _shortage_message(error: InsufficientStock) -> str:
    parts = [
        gettext("%(sku)s: only %(n)s left") % {"sku": s.sku, "n": max(s.available, 0)}
        for s in error.shortages
    ]
    return gettext("Not enough stock for your cart (%(shortages)s). Please change quantities.") % {
        "shortages": "; ".join(parts)
    }


def checkout_start(*, cart: Cart) -> None:
    """Hold the cart's stock while the shopper checks out (replacing earlier holds)."""
    lines = _stock_lines(cart)
    if not lines:  # emptied since an earlier review: nothing to hold any longer
        inventory_api.release_reservation(owner=cart.reservation_owner)
        raise CheckoutConflict(gettext("Your cart is empty."), code="cart_empty")
    try:
        inventory_api.reserve(
            owner=cart.reservation_owner,
            lines=lines,
            ttl=timedelta(minutes=settings.ORDERS_CHECKOUT_HOLD_MINUTES),
        )
    except InsufficientStock as short:
        metrics.count("checkout_outcome", outcome="refused_stock")
        raise CheckoutShortOfStock(_shortage_message(short), short=short) from short


@dataclass(frozen=True, slots=True)
class CheckoutDetails:
    """The shopper's checked details, as the cart keeps them (`checkout_details_checked`)."""

    email: str
    shipping_address: dict[str, str]
    billing_address: dict[str, str]
    shipping_method: ShippingMethod

    def as_cart_fields(self) -> dict[str, object]:
        """The cart's columns these details fill; a new total must be reviewed again."""
        return {
            "email": self.email,
            "shipping_address": self.shipping_address,
            "billing_address": self.billing_address,
            "shipping_method": self.shipping_method.code,
            "reviewed_total": None,
        }


def checkout_details_checked(
    *,
    email: str,
    shipping_address: PostalAddress,
    billing_address: PostalAddress,
    shipping_method: str,
) -> CheckoutDetails:
    """The shopper's details if they can be shipped to; raises `AddressesInvalid` or CheckoutError.

    Writes nothing: `checkout_details_set` stores them, and the API's placing
    stores them with its claim of the cart (`checkout_place`).
    """
    valid, errors = {}, {}
    for role, address in (
        ("shipping_address", shipping_address),
        ("billing_address", billing_address),
    ):
        try:
            valid[role] = accounts_api.validate_address(address=address)
        except InvalidAddress as invalid:
            errors[role] = invalid.errors
    if errors:
        raise AddressesInvalid(errors)
    chosen = method(shipping_method)
    if chosen is None:
        raise ShippingMethodRefused(gettext("Choose a shipping method."))
    country = valid["shipping_address"].country
    if not chosen.serves(country):
        raise ShippingMethodRefused(
            gettext("%(method)s does not ship to %(country)s.")
            % {"method": chosen.name, "country": country}
        )
    return CheckoutDetails(
        email=email.strip().lower(),
        shipping_address=valid["shipping_address"].as_dict(),
        billing_address=valid["billing_address"].as_dict(),
        shipping_method=chosen,
    )


def checkout_details_set(
    *,
    cart: Cart,
    email: str,
    shipping_address: PostalAddress,
    billing_address: PostalAddress,
    shipping_method: str,
) -> None:
    """Check the shopper's details (`checkout_details_checked`) and store them on the cart."""
    details = checkout_details_checked(
        email=email,
        shipping_address=shipping_address,
        billing_address=billing_address,
        shipping_method=shipping_method,
    )
    checkout_details_stored(cart=cart, details=details)


def checkout_details_stored(*, cart: Cart, details: CheckoutDetails) -> None:
    """One write of the details' columns only, so no transaction of its own, and a
    submission placing the cart meanwhile keeps its claim."""
    fields = details.as_cart_fields()
    for name, value in fields.items():
        setattr(cart, name, value)
    cart.save(update_fields=list(fields))


def checkout_summary(
    *, cart: Cart, shopper: Shopper, chosen: ShippingMethod | None = None
) -> CheckoutSummary:
    """Price the cart now for its shipping country, with shipping; refuse what cannot be bought.

    ``chosen``: the cart's shipping method when the caller has just read it.
    """
    if not (cart.shipping_address and cart.shipping_method and cart.email):
        raise CheckoutError(gettext("Enter your e-mail, address and shipping method first."))
    prefetch_related_objects([cart], "lines")  # read by the goods' quote, the titles, the charge
    country = cart.shipping_address["country"]
    if chosen is None:
        chosen = method(cart.shipping_method, country=country)
    if chosen is None:
        raise CheckoutError(gettext("Choose a shipping method."))
    view = priced_cart(cart=cart, shopper=shopper, country=country)
    if view.is_empty:
        raise CheckoutConflict(gettext("Your cart is empty."), code="cart_empty")
    if not view.can_check_out:  # the cart's state, not the request: a conflict
        raise CheckoutConflict(
            gettext("Some products in your cart are no longer available."), code="not_for_sale"
        )
    if view.refused_vouchers:
        code, reason = view.refused_vouchers[0]
        raise CheckoutConflict(
            gettext("Voucher %(code)s no longer applies: %(reason)s. Remove it to go on.")
            % {"code": code, "reason": reason},
            code="voucher_refused",
        )
    shipping = chosen.price_for(goods_total=view.quote.total, item_count=view.item_count)
    # The goods' quote is of the whole cart with all its vouchers (else refused above).
    charged = pricing_api.with_shipping(quote=view.quote, shipping=shipping)
    return CheckoutSummary(cart=view, shipping_method=chosen, quote=charged)


def checkout_review(*, cart: Cart, shopper: Shopper) -> CheckoutSummary:
    """The summary for the review step; its total is the one placing must find again."""
    summary = checkout_summary(cart=cart, shopper=shopper)
    Cart.objects.filter(pk=cart.pk).update(reviewed_total=summary.grand_total.amount)
    cart.reviewed_total = summary.grand_total.amount
    return summary


def _draft(cart: Cart, summary: CheckoutSummary, shopper: Shopper) -> OrderDraft:
    quote = summary.quote
    # The variant's name is part of what was bought: it stays with the order.
    longest = OrderLine._meta.get_field("title").max_length
    titles = {line.sku: line.full_title[:longest] for line in summary.cart.lines}
    customer = shopper.customer
    return OrderDraft.of_quote(
        quote,
        titles=titles,
        shipping=summary.shipping,
        grand_total=summary.grand_total,
        email=cart.email,
        shipping_address=PostalAddress(**cart.shipping_address),
        billing_address=PostalAddress(**cart.billing_address),
        shipping_method=summary.shipping_method.name,
        customer_id=customer.customer_id if customer else None,
    )


def placed_order_number(*, token: str) -> str | None:
    """The order a final-step token already placed, if any."""
    return PlacedCheckout.objects.filter(token=token).values_list("order_number", flat=True).first()


def order_number_of_placed_cart(*, cart_token: str) -> str | None:
    """The order the cart with this token became, if it was placed (whatever the token of
    the submission that placed it)."""
    placed = PlacedCheckout.objects.filter(cart=_digest(cart_token))
    return placed.values_list("order_number", flat=True).first()


def _digest(cart_token: str) -> str:
    return hashlib.sha256(cart_token.encode()).hexdigest()


#: ``expected_total`` of a caller that showed the shopper no total (an app that skipped
#: the preview): the order is placed at what it costs now.
ANY_TOTAL = "any"


def checkout_place(
    *,
    cart: Cart,
    shopper: Shopper,
    token: str,
    actor: str,
    expected_total: Decimal | Literal["any"] | None = None,
    details: CheckoutDetails | None = None,
) -> OrderDetail:
    """Place the cart's order; returns it. See the module docstring for the steps.

    The one placement, for the storefront's final step and the API's
    ``POST /api/v1/orders/``; it must not be called inside a transaction
    (each context's step commits on its own). ``token`` identifies this
    submission (the final form's token, the API's Idempotency-Key); the
    caller answers a token that already placed an order with that order
    (`placed_order_number`, asked before the cart: placing deletes it),
    and here a repeat that finds the cart gone gets that order too.
    ``expected_total``: the total the shopper confirmed (default: the one
    of the review step; `ANY_TOTAL`: none); another one raises `TotalChanged`.
    ``details``: checked details to store on the cart with the claim (the
    API sends them with the order), in the claim's one write.
    """
    if not _claim(cart, token, details):
        already = _outcome_of_the_same_submission(cart, token)
        if already:
            return selectors.order_by_number(number=already)
        raise CheckoutConflict(
            gettext("Your order is already being placed. Please wait a moment."),
            code="placing_in_progress",
        )
    try:
        return _place(
            cart=cart,
            shopper=shopper,
            token=token,
            actor=actor,
            expected=expected_total,
            chosen=details.shipping_method if details else None,
        )
    except BaseException:
        Cart.objects.filter(pk=cart.pk, placing_token=token).update(
            placing_token="", placing_claimed_at=None
        )
        raise


def _claim(cart: Cart, token: str, details: CheckoutDetails | None) -> bool:
    """Let this submission in if none is placing the cart, or the one that is has died.

    A conditional update, so of parallel submissions one wins. A claim older
    than ``ORDERS_PLACING_CLAIM_TIMEOUT`` (or one without a time) was left
    by a process that died before it could release it; it is taken over. If
    that process was only slow, it finds the cart no longer claimed by it
    when it creates the order and undoes its steps (`_create_order`).

    The cart as the caller read it is what is placed, with ``details`` as
    written here: a change landing between that read and the claim is no
    different from one landing after the claim, which the placed order
    never shows either (the cart is deleted with the order).
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.ORDERS_PLACING_CLAIM_TIMEOUT)
    free = (
        Q(placing_token="") | Q(placing_claimed_at__isnull=True) | Q(placing_claimed_at__lt=stale)
    )
    fields = {"placing_token": token, "placing_claimed_at": now}
    if details is not None:
        fields |= details.as_cart_fields()
    if not Cart.objects.filter(free, pk=cart.pk).update(**fields):
        return False
    for name, value in fields.items():
        setattr(cart, name, value)
    return True


def _outcome_of_the_same_submission(cart: Cart, token: str) -> str | None:
    """A double click: wait for the twin request placing this cart with our token, take its order.

    Its steps commit one by one, so there is no lock to wait on: the cart is
    looked at every ``DOUBLE_SUBMIT_POLL`` until the twin has placed the
    order (or failed, releasing the claim), at most ``DOUBLE_SUBMIT_WAIT``.
    Another submission's claim (another tab) is not waited for.
    """
    deadline = time.monotonic() + DOUBLE_SUBMIT_WAIT.total_seconds()
    while Cart.objects.filter(pk=cart.pk, placing_token=token).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(DOUBLE_SUBMIT_POLL.total_seconds())
    return placed_order_number(token=token)


def _place(
    *,
    cart: Cart,
    shopper: Shopper,
    token: str,
    actor: str,
    expected,
    chosen: ShippingMethod | None,
) -> OrderDetail:
    summary = checkout_summary(cart=cart, shopper=shopper, chosen=chosen)
    expected = cart.reviewed_total if expected is None else expected
    if expected is None:
        raise CheckoutError(gettext("Please review your order before placing it."))
    if expected != ANY_TOTAL:
        confirmed = Money(Decimal(expected), summary.grand_total.currency).rounded()
        if summary.grand_total != confirmed:
            raise TotalChanged(summary.grand_total)
    quote = summary.quote
    number = numbers.new_order_number()
    undo = _Compensations(order_number=number, cart_id=cart.pk)
    if quote.voucher_codes:
        # Undone on its own failure too: out of process, an answer lost after pricing
        # redeemed (ServiceUnavailable) says nothing of whether the uses were claimed, for
        # an order that will never exist. Releasing what this order ref holds is a no-op
        # when nothing was claimed.
        undo.add("release vouchers", pricing_api.release_vouchers)
        try:
            with undo.on_failure():
                pricing_api.redeem_vouchers(
                    codes=quote.voucher_codes,
                    order_ref=number,
                    customer=shopper.customer,
                    subtotal=quote.subtotal,
                )
        except VoucherRejected as rejected:
            raise CheckoutConflict(
                gettext("Voucher %(code)s can no longer be used: %(reason)s.")
                % {"code": rejected.code, "reason": rejected.reason},
                code="voucher_refused",
            ) from rejected
    with undo.on_failure():
        try:
            inventory_api.allocate(
                order_ref=number,
                lines=[Line(sku=line.sku, quantity=line.quantity) for line in quote.lines],
                reservation_owner=cart.reservation_owner,
            )
        except InsufficientStock as short:
            metrics.count("checkout_outcome", outcome="refused_stock")
            raise CheckoutShortOfStock(_shortage_message(short), short=short) from short
    undo.add("release stock", inventory_api.release_allocation)
    with undo.on_failure():
        order = _create_order(
            draft=_draft(cart, summary, shopper), number=number, cart=cart, token=token, actor=actor
        )
    try:
        pricing_api.record_experiment_sales(order_ref=number, quote=quote)
    except Exception:  # the order stands; the call is idempotent and may be repeated
        logger.exception("Recording the experiment sales of order %s failed", number)
    metrics.count("checkout_outcome", outcome="placed")
    # Read after the commit: failing to answer leaves the order placed, found again by token.
    return selectors.placed_order_detail(order=order)


@atomic("orders")
def _create_order(*, draft: OrderDraft, number: str, cart: Cart, token: str, actor: str) -> Order:
    """Create the order, remember the token and delete the cart, only while our claim holds."""
    deleted, _ = Cart.objects.filter(pk=cart.pk, placing_token=token).delete()
    if not deleted:  # our claim went stale and another submission took the cart over
        raise CheckoutConflict(
            gettext("Your order is already being placed. Please wait a moment."),
            code="placing_in_progress",
        )
    counts.changed(cart)
    order = services.order_place(draft=draft, actor=actor, number=number)
    PlacedCheckout.objects.create(token=token, order_number=number, cart=_digest(cart.token))
    return order


class _Compensations:
    """The undo steps of the checkout steps done so far, run (latest first) when a later one fails.

    Every undo step runs even if another fails: a failure is logged and
    recorded as a `CompensationFailure` for staff, then the next one runs,
    and the shopper gets the original error, not the undo step's.
    """

    def __init__(self, *, order_number: str, cart_id: int) -> None:
        self.order_number = order_number
        self.cart_id = cart_id
        self._steps: list[tuple[str, Callable[..., object]]] = []

    def add(self, name: str, undo: Callable[..., object]) -> None:
        self._steps.append((name, undo))

    @contextmanager
    def on_failure(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            for name, undo in reversed(self._steps):
                self._run(name, undo)
            raise

    def _run(self, name: str, undo: Callable[..., object]) -> None:
        try:
            undo(order_ref=self.order_number)
        except Exception as failed:
            logger.exception("Checkout of order %s could not %s", self.order_number, name)
            CompensationFailure.objects.create(
                order_number=self.order_number,
                cart_id=self.cart_id,
                step=name,
                error=f"{type(failed).__name__}: {failed}",
            )
