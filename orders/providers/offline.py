"""Payments that happen outside the shop: bank transfer and cash on delivery.

Authorising only records the promise (status ``pending``) and tells the
shopper what to do; staff capture the payment when the money has arrived
(admin action "capture"), which is when the order becomes paid. Refunds are
paid out by hand and only recorded here. There are no webhooks.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from kernel.money import Money
from orders.models import Payment
from orders.providers.base import (
    Card,
    InvalidWebhook,
    PaymentProvider,
    ProviderResult,
    WebhookEvent,
)

S = Payment.Status


class OfflineProvider(PaymentProvider):
    instructions = ""
    prefix = ""

    def authorize(
        self, *, amount: Money, order_number: str, card: Card | None, idempotency_key: str
    ) -> ProviderResult:
        return ProviderResult(
            status=S.PENDING,
            reference=f"{self.prefix}-{order_number}-{secrets.token_hex(3).upper()}",
            # In the shopper's language: the instructions are stored with the payment
            # and shown as written.
            next_action=gettext(self.instructions).format(
                amount=amount.rounded(), order=order_number
            ),
        )

    def confirm(self, *, reference: str, token: str) -> ProviderResult:
        return ProviderResult(status=S.PENDING, reference=reference)

    def capture(self, *, reference: str, amount: Money) -> ProviderResult:
        return ProviderResult(status=S.CAPTURED, reference=reference)

    def refund(self, *, reference: str, amount: Money) -> str:
        return f"{reference}-R{secrets.token_hex(2).upper()}"

    def void(self, *, reference: str) -> ProviderResult:
        return ProviderResult(status=S.VOIDED, reference=reference)

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        raise InvalidWebhook(f"{self.label} sends no webhooks.")


class BankTransferProvider(OfflineProvider):
    code = "bank_transfer"
    label = gettext_lazy("Bank transfer")
    prefix = "BT"
    instructions = gettext_noop(
        "Transfer {amount} with the reference {order}; we ship when it arrives."
    )


class CashOnDeliveryProvider(OfflineProvider):
    code = "cash_on_delivery"
    label = gettext_lazy("Cash on delivery")
    prefix = "COD"
    instructions = gettext_noop("Pay {amount} in cash to the courier.")
