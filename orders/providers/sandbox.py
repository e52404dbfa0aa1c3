"""The built-in sandbox provider: a card processor that behaves like a real one.

Test cards (any future expiry, any 3-4 digit CVC):

    4242 4242 4242 4242   Visa, approved
    5555 5555 5555 4444   Mastercard, approved
    4000 0000 0000 3220   Visa, requires action: approved after `confirm` with the token
    4000 0000 0000 0002   Visa, declined (card_declined)
    4000 0000 0000 9995   Visa, declined (insufficient_funds)

Any other number is declined, as a real test mode declines real cards. The
sandbox keeps its own ledger (`SandboxCharge`, its side of the world), so
it refuses a capture beyond the authorisation or a refund beyond the
capture, and answers a repeated `authorize` with the same idempotency key
with the first result. Its webhooks are signed like Stripe's:
``Sandbox-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext_lazy

from kernel.money import Money
from orders.models import Payment, SandboxCharge
from orders.providers.base import (
    Card,
    InvalidWebhook,
    PaymentProvider,
    ProviderRefused,
    ProviderResult,
    WebhookEvent,
)

S = Payment.Status

APPROVE, DECLINE, CHALLENGE = "approve", "decline", "challenge"
TEST_CARDS: dict[str, tuple[str, str, str]] = {
    "4242424242424242": ("visa", APPROVE, ""),
    "5555555555554444": ("mastercard", APPROVE, ""),
    "4000000000003220": ("visa", CHALLENGE, ""),
    "4000000000000002": ("visa", DECLINE, "card_declined"),
    "4000000000009995": ("visa", DECLINE, "insufficient_funds"),
}
SIGNATURE_HEADER = "Sandbox-Signature"
WEBHOOK_TOLERANCE_SECONDS = 300


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def _ascii_digits(text: str) -> bool:
    """Only 0-9: ``str.isdigit`` also takes a superscript, which ``int`` cannot read."""
    return text.isascii() and text.isdigit()


def card_refusal(card: Card, *, today: date) -> str:
    """Why the card cannot even be tried, or ''."""
    if not (
        _ascii_digits(card.number) and 12 <= len(card.number) <= 19 and luhn_valid(card.number)
    ):
        return "invalid_number"
    if not (1 <= card.exp_month <= 12) or (card.exp_year, card.exp_month) < (
        today.year,
        today.month,
    ):
        return "expired_card"
    if not (_ascii_digits(card.cvc) and len(card.cvc) in (3, 4)):
        return "invalid_cvc"
    return ""


def sign(body: bytes, *, timestamp: int | None = None, secret: str | None = None) -> str:
    """The signature header value the sandbox sends with ``body``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    key = (secret or settings.ORDERS_SANDBOX_WEBHOOK_SECRET).encode()
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class SandboxProvider(PaymentProvider):
    code = "sandbox"
    label = gettext_lazy("Card (sandbox)")
    takes_cards = True

    def authorize(
        self, *, amount: Money, order_number: str, card: Card | None, idempotency_key: str
    ) -> ProviderResult:
        existing = SandboxCharge.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return self._result(existing)
        if card is None:
            raise ProviderRefused("Card details are required.")
        number = "".join(card.number.split())
        card = Card(number=number, exp_month=card.exp_month, exp_year=card.exp_year, cvc=card.cvc)
        brand, behaviour, decline_code = TEST_CARDS.get(
            number, ("card", DECLINE, "not_a_test_card")
        )
        refusal = card_refusal(card, today=date.today())
        status = {APPROVE: S.AUTHORIZED, CHALLENGE: S.REQUIRES_ACTION, DECLINE: S.FAILED}[behaviour]
        charge = SandboxCharge.objects.create(
            reference=f"sbx_{secrets.token_hex(10)}",
            idempotency_key=idempotency_key,
            status=S.FAILED if refusal else status,
            failure_reason=refusal or decline_code,
            currency=amount.currency,
            amount=amount.amount,
            action_token=secrets.token_urlsafe(12) if status == S.REQUIRES_ACTION else "",
            brand=brand,
            last4=number[-4:],
        )
        return self._result(charge)

    def confirm(self, *, reference: str, token: str) -> ProviderResult:
        charge = self._charge(reference)
        if charge.status != S.REQUIRES_ACTION:
            raise ProviderRefused("This payment does not wait for a confirmation.")
        if hmac.compare_digest(token.encode(), charge.action_token.encode()):
            charge.status = S.AUTHORIZED
        else:
            charge.status, charge.failure_reason = S.FAILED, "authentication_failed"
        charge.save(update_fields=["status", "failure_reason"])
        return self._result(charge)

    def capture(self, *, reference: str, amount: Money) -> ProviderResult:
        charge = self._charge(reference)
        if charge.status != S.AUTHORIZED:
            raise ProviderRefused(f"Cannot capture a payment that is {charge.status}.")
        if amount.currency != charge.currency or amount.amount > charge.amount:
            raise ProviderRefused("Cannot capture more than was authorised.")
        charge.status, charge.captured = S.CAPTURED, amount.amount
        charge.save(update_fields=["status", "captured"])
        return self._result(charge)

    def refund(self, *, reference: str, amount: Money) -> str:
        charge = self._charge(reference)
        if charge.status not in (S.CAPTURED, S.PARTIALLY_REFUNDED):
            raise ProviderRefused(f"Cannot refund a payment that is {charge.status}.")
        if amount.amount <= 0 or charge.refunded + amount.amount > charge.captured:
            raise ProviderRefused("Cannot refund more than was captured.")
        charge.refunded += amount.amount
        charge.status = S.REFUNDED if charge.refunded == charge.captured else S.PARTIALLY_REFUNDED
        charge.save(update_fields=["refunded", "status"])
        return f"sbx_re_{secrets.token_hex(8)}"

    def void(self, *, reference: str) -> ProviderResult:
        charge = self._charge(reference)
        if charge.status not in (S.AUTHORIZED, S.REQUIRES_ACTION):
            raise ProviderRefused(f"Cannot void a payment that is {charge.status}.")
        charge.status = S.VOIDED
        charge.save(update_fields=["status"])
        return self._result(charge)

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        fields = dict(
            part.split("=", 1)
            for part in headers.get(SIGNATURE_HEADER, "").split(",")
            if "=" in part
        )
        try:
            timestamp = int(fields.get("t", ""))
        except ValueError as exc:
            raise InvalidWebhook("Missing or malformed signature header.") from exc
        if abs(time.time() - timestamp) > WEBHOOK_TOLERANCE_SECONDS:
            raise InvalidWebhook("Stale webhook (timestamp outside the tolerance).")
        expected = sign(body, timestamp=timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, fields.get("v1", "")):
            raise InvalidWebhook("Bad signature.")
        try:
            data = json.loads(body)
            amount = None if data.get("amount") is None else Decimal(str(data["amount"]))
            event = WebhookEvent(
                event_id=str(data["id"]),
                type=str(data["type"]),
                reference=str(data["reference"]),
                amount=amount,
            )
        except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation) as exc:
            raise InvalidWebhook("Unreadable webhook body.") from exc
        if not (0 < len(event.event_id) <= 100 and len(event.reference) <= 80):
            raise InvalidWebhook("Event id or reference of an impossible length.")
        if amount is not None and not (amount.is_finite() and amount >= 0):
            raise InvalidWebhook("The amount must be a non-negative number.")
        return event

    @staticmethod
    def _charge(reference: str) -> SandboxCharge:
        charge = SandboxCharge.objects.select_for_update().filter(reference=reference).first()
        if charge is None:
            raise ProviderRefused(f"Unknown sandbox payment {reference!r}.")
        return charge

    @staticmethod
    def _result(charge: SandboxCharge) -> ProviderResult:
        return ProviderResult(
            status=charge.status,
            reference=charge.reference,
            card_brand=charge.brand,
            card_last4=charge.last4,
            failure_reason=charge.failure_reason,
            next_action=(
                f"Confirm the payment with your bank (sandbox token: {charge.action_token})"
                if charge.status == S.REQUIRES_ACTION
                else ""
            ),
        )
