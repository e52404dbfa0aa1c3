"""Payment use cases: start, confirm, capture, refund, void, and provider webhooks.

Each runs in one transaction with the order row locked, records what the
provider answered on a `Payment`, and moves the order through
`lifecycle.transition` (pending payment → paid when the captured amount
covers the total; → partially refunded / refunded). The provider is called
inside the transaction: if anything after it fails, our records roll back
and the provider's idempotency key lets a retry find the same charge
instead of making a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Sum
from django.utils.translation import gettext

from kernel import metrics
from kernel.databases import atomic
from kernel.money import MINOR_UNITS, Money
from kernel.outbox import publish
from orders import clock, corrections, rules
from orders.dtos import (
    OPEN_PAYMENT_STATUSES,
    CardRequired,
    OrderError,
    PaymentConflict,
    PaymentError,
    RefundRefused,
    TransitionNotAllowed,
)
from orders.events import OrderPaid, OrderRefunded
from orders.lifecycle import REFUNDABLE, OrderStatus, locked_order, transition
from orders.models import Order, Payment, PaymentRefund, ProcessedWebhook
from orders.providers import get_provider
from orders.providers.base import Card, ProviderResult, WebhookEvent

logger = logging.getLogger(__name__)

S = Payment.Status


def _count_decline(payment: Payment) -> None:
    """A shopper's payment the provider refused is a checkout outcome of its own."""
    if payment.status == S.FAILED:
        metrics.count("checkout_outcome", outcome="payment_declined")


def _apply(payment: Payment, result: ProviderResult) -> None:
    payment.status = result.status
    payment.reference = result.reference or payment.reference
    payment.card_brand = result.card_brand or payment.card_brand
    payment.card_last4 = result.card_last4 or payment.card_last4
    payment.failure_reason = result.failure_reason
    payment.next_action = result.next_action


@atomic("orders")
def payment_start(
    *,
    order_id: int,
    provider_code: str,
    actor: str,
    card: Card | None = None,
    attempt_key: str = "",
    capture: bool | None = None,
) -> Payment:
    """Ask the provider for the order's total. A decline is a `failed` payment, not an error.

    ``capture``: take the money at once if authorised (default:
    ``ORDERS_AUTO_CAPTURE``); False leaves it authorised for staff to capture.

    ``attempt_key`` identifies the shopper's attempt (the API's Idempotency-Key,
    the pay form's one-time token): the same attempt again, e.g. a double
    click that waited for the first on the order lock, gets the first
    payment back instead of a refusal or a second charge. With the order's
    number it is also the provider's idempotency key.
    """
    order = locked_order(order_id)
    if attempt_key and (repeated := order.payments.filter(attempt_key=attempt_key).first()):
        if repeated.provider != provider_code:
            raise PaymentConflict(
                gettext("This payment attempt was already made with another method.")
            )
        return repeated
    provider = get_provider(provider_code)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise TransitionNotAllowed(gettext("This order is not awaiting payment."))
    if order.payments.filter(status__in=OPEN_PAYMENT_STATUSES).exists():
        raise PaymentConflict(gettext("This order already has a payment in progress."))
    if provider.takes_cards and card is None:
        raise CardRequired(gettext("Card details are required."))
    amount = order.grand_total_money
    attempt = order.payments.count() + 1
    result = provider.authorize(
        amount=amount,
        order_number=order.number,
        card=card,
        # The provider's key is the order's own: a client's attempt key names an attempt
        # of one order, and sent again for another must not find the first one's charge.
        idempotency_key=f"{order.number}:{attempt_key or attempt}",
    )
    payment = Payment(
        order=order,
        provider=provider.code,
        currency=order.currency,
        amount=amount.amount,
        attempt_key=attempt_key,
        created_at=clock.now(),
    )
    _apply(payment, result)
    payment.save()
    _count_decline(payment)
    capture = settings.ORDERS_AUTO_CAPTURE if capture is None else capture
    if payment.status == S.AUTHORIZED and capture:
        _capture(order=order, payment=payment, amount=amount, actor=actor)
    return payment


@atomic("orders")
def payment_confirm(*, payment_id: int, token: str, actor: str) -> Payment:
    """Complete a 3-D Secure style challenge; auto-captures like `payment_start`."""
    order, payment = _locked(payment_id)
    if payment.status != S.REQUIRES_ACTION:
        raise PaymentConflict(gettext("This payment does not wait for a confirmation."))
    _apply(
        payment, get_provider(payment.provider).confirm(reference=payment.reference, token=token)
    )
    payment.save()
    _count_decline(payment)
    if payment.status == S.AUTHORIZED and settings.ORDERS_AUTO_CAPTURE:
        _capture(order=order, payment=payment, amount=order.money(payment.amount), actor=actor)
    return payment


@atomic("orders")
def payment_capture(*, payment_id: int, actor: str) -> Payment:
    """Take an authorised payment, or record that an offline one's money arrived."""
    order, payment = _locked(payment_id)
    if payment.status not in (S.AUTHORIZED, S.PENDING):
        raise PaymentConflict(
            f"A payment that is {payment.get_status_display().lower()} cannot be captured."
        )
    _capture(order=order, payment=payment, amount=order.money(payment.amount), actor=actor)
    return payment


def _capture(*, order: Order, payment: Payment, amount: Money, actor: str) -> None:
    _apply(
        payment, get_provider(payment.provider).capture(reference=payment.reference, amount=amount)
    )
    payment.captured_amount = amount.amount
    payment.save()
    _mark_paid_if_covered(order=order, payment=payment, actor=actor)


def _mark_paid_if_covered(*, order: Order, payment: Payment, actor: str) -> None:
    captured = order.payments.aggregate(total=Sum("captured_amount"))["total"] or Decimal(0)
    if order.status == OrderStatus.PENDING_PAYMENT and captured >= order.grand_total:
        transition(
            order=order,
            to=OrderStatus.PAID,
            actor=actor,
            reason=f"Payment {payment.reference} captured.",
        )
        publish(
            OrderPaid(
                order_number=order.number,
                currency=order.currency,
                amount=order.money(captured).amount,
                provider=payment.provider,
            )
        )


@atomic("orders")
def payment_void(*, payment_id: int, actor: str) -> Payment:
    _, payment = _locked(payment_id)
    if payment.status not in (S.PENDING, S.REQUIRES_ACTION, S.AUTHORIZED):
        raise PaymentConflict(
            f"A payment that is {payment.get_status_display().lower()} cannot be voided."
        )
    _apply(payment, get_provider(payment.provider).void(reference=payment.reference))
    payment.save()
    return payment


@atomic("orders")
def order_refund(
    *, order_id: int, actor: str, reason: str, amount: Money | None = None
) -> list[PaymentRefund]:
    """Give money back (all that is left when ``amount`` is None), newest payment first."""
    order = locked_order(order_id)
    if refused := rules.refund_refusal(order):
        raise TransitionNotAllowed(refused)
    amount = order.refundable if amount is None else amount
    if (
        amount.currency != order.currency
        or not Decimal(0) < amount.amount <= order.refundable.amount
    ):
        raise RefundRefused(f"The refund must be more than 0 and at most {order.refundable}.")
    if amount.rounded() != amount:  # never more, nor less, than was typed
        decimals = MINOR_UNITS[amount.currency]
        raise RefundRefused(f"{amount.currency} has {decimals} decimals.")
    return refund_locked(order=order, amount=amount, actor=actor, reason=reason)


def refund_locked(*, order: Order, amount: Money, actor: str, reason: str) -> list[PaymentRefund]:
    """Refund ``amount`` of a locked, refundable order and move it to (partially) refunded."""
    refunds = _refund(order=order, amount=amount, actor=actor, reason=reason)
    _mark_refunded(order=order, actor=actor, reason=reason or f"Refunded {amount}.")
    return refunds


def _mark_refunded(*, order: Order, actor: str, reason: str) -> None:
    """Partially refunded, or refunded; a refunded order ends, so its unshipped units go back."""
    full = order.refunded_total == order.grand_total
    transition(
        order=order,
        to=OrderStatus.REFUNDED if full else OrderStatus.PARTIALLY_REFUNDED,
        actor=actor,
        reason=reason,
    )
    if full:
        corrections.release_units(order=order, lines=list(order.lines.select_for_update()))


def settle_for_cancellation(*, order: Order, actor: str, reason: str) -> None:
    """Before a (locked) order is cancelled: release authorisations, return money taken."""
    for payment in order.payments.select_for_update().filter(
        status__in=(S.PENDING, S.REQUIRES_ACTION, S.AUTHORIZED)
    ):
        _apply(payment, get_provider(payment.provider).void(reference=payment.reference))
        payment.save()
    if order.refundable.amount > 0 and order.payments.filter(captured_amount__gt=0).exists():
        _refund(order=order, amount=order.refundable, actor=actor, reason=reason)


def _refund(*, order: Order, amount: Money, actor: str, reason: str) -> list[PaymentRefund]:
    refunds, left = [], amount
    captured = order.payments.select_for_update().filter(
        status__in=(S.CAPTURED, S.PARTIALLY_REFUNDED)
    )
    for payment in captured.order_by("-created_at", "-id"):
        share = min(left.amount, payment.captured_amount - payment.refunded_amount)
        if share <= 0:
            continue
        part = Money(share, order.currency)
        reference = get_provider(payment.provider).refund(reference=payment.reference, amount=part)
        refunds.append(
            _record_refund(
                order=order,
                payment=payment,
                amount=part,
                reference=reference,
                actor=actor,
                reason=reason,
            )
        )
        left -= part
        if not left:
            break
    if left:
        raise PaymentError(
            f"Only {amount - left} of {amount} could be refunded: "
            "no captured payment covers the rest."
        )
    return refunds


def _record_refund(
    *, order: Order, payment: Payment, amount: Money, reference: str, actor: str, reason: str
) -> PaymentRefund:
    payment.refunded_amount += amount.amount
    payment.status = (
        S.REFUNDED if payment.refunded_amount == payment.captured_amount else S.PARTIALLY_REFUNDED
    )
    payment.save()
    order.refunded_total += amount.amount
    order.save(update_fields=["refunded_total", "updated_at"])
    refund = PaymentRefund.objects.create(
        payment=payment,
        amount=amount.amount,
        reference=reference,
        reason=reason,
        actor=actor,
        created_at=clock.now(),
    )
    publish(
        OrderRefunded(
            order_number=order.number,
            refund_id=refund.pk,
            currency=order.currency,
            amount=amount.rounded().amount,
            refunded_total=order.money(order.refunded_total).amount,
            full=order.refunded_total == order.grand_total,
        )
    )
    return refund


def _locked(payment_id: int) -> tuple[Order, Payment]:
    """The payment and its order, locked order first (as everywhere) so no two paths deadlock."""
    order_id = Payment.objects.filter(pk=payment_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise PaymentError(f"No payment with id {payment_id}.")
    order = locked_order(order_id)
    return order, Payment.objects.select_for_update().get(pk=payment_id)


def webhook_receive(*, provider_code: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Verify, then apply a provider's notification once; returns what happened.

    Raises `InvalidWebhook` (a 400 for the provider) when the signature or
    body is bad. A repeated event id, an event about a payment we do not
    know, or one that contradicts the payment's state is acknowledged and
    changes nothing (logged), so the provider does not retry it forever.
    """
    event = get_provider(provider_code).parse_webhook(body=body, headers=headers)
    try:
        with atomic("orders"):
            ProcessedWebhook.objects.create(provider=provider_code, event_id=event.event_id)
            return _apply_webhook(provider_code=provider_code, event=event)
    except IntegrityError:
        if ProcessedWebhook.objects.filter(
            provider=provider_code, event_id=event.event_id
        ).exists():
            return "duplicate"
        raise
    except OrderError as refused:  # the event contradicts what we or the provider know
        logger.warning("%s webhook %s refused: %s", provider_code, event.event_id, refused)
        return "refused"


def _apply_webhook(*, provider_code: str, event: WebhookEvent) -> str:
    payment = Payment.objects.filter(provider=provider_code, reference=event.reference).first()
    if payment is None:
        logger.warning(
            "%s webhook %s for unknown payment %s", provider_code, event.event_id, event.reference
        )
        return "ignored"
    order, payment = _locked(payment.pk)
    actor = f"provider:{provider_code}"
    if event.type == "payment.authorized" and payment.status == S.REQUIRES_ACTION:
        payment.status = S.AUTHORIZED
        payment.save()
        if settings.ORDERS_AUTO_CAPTURE:
            _capture(order=order, payment=payment, amount=order.money(payment.amount), actor=actor)
    elif event.type == "payment.captured" and payment.status in (S.AUTHORIZED, S.PENDING):
        payment.status, payment.captured_amount = S.CAPTURED, payment.amount
        payment.save()
        _mark_paid_if_covered(order=order, payment=payment, actor=actor)
    elif event.type == "payment.failed" and payment.status in (
        S.REQUIRES_ACTION,
        S.AUTHORIZED,
        S.PENDING,
    ):
        payment.status, payment.failure_reason = S.FAILED, "reported by the provider"
        payment.save()
    elif (
        event.type == "payment.refunded"
        and event.amount is not None
        and event.amount > payment.refunded_amount
    ):
        extra = Money(event.amount - payment.refunded_amount, order.currency)
        if (
            payment.refunded_amount + extra.amount > payment.captured_amount
            or order.status not in REFUNDABLE
        ):
            logger.warning(
                "%s webhook %s: refund beyond what was captured, ignored",
                provider_code,
                event.event_id,
            )
            return "ignored"
        _record_refund(
            order=order,
            payment=payment,
            amount=extra,
            reference=event.event_id,
            actor=actor,
            reason="Refunded at the provider.",
        )
        _mark_refunded(order=order, actor=actor, reason="Refunded at the provider.")
    else:
        return "ignored"
    return "applied"
