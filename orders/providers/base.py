"""The payment-provider interface every provider implements.

A provider is a client of an external payment service. Orders talk to it
only through these methods and keep what it answers in `Payment`; card
numbers pass through `authorize` in memory and are never stored (only the
brand and last four digits the provider reports back).
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kernel.money import Money
from orders.dtos import PaymentError


@dataclass(frozen=True, slots=True, repr=False)
class Card:
    """Card details as typed by the shopper; lives only for the `authorize` call."""

    number: str
    exp_month: int
    exp_year: int
    cvc: str

    def __repr__(self) -> str:  # never let a card number reach a log or a traceback
        return f"Card(•••• {self.number[-4:]})"


@dataclass(frozen=True, slots=True)
class ProviderResult:
    """What the provider said. ``status`` is one of `Payment.Status`'s values."""

    status: str
    reference: str
    card_brand: str = ""
    card_last4: str = ""
    failure_reason: str = ""
    next_action: str = ""  # what the shopper must do: confirm with their bank, transfer money


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A verified notification from the provider."""

    event_id: str
    type: str  # payment.authorized | payment.captured | payment.failed | payment.refunded
    reference: str
    amount: Decimal | None = None


class ProviderRefused(PaymentError):
    """The provider refused an operation (capture beyond the authorisation, ...)."""


class InvalidWebhook(PaymentError):
    """A webhook that is not signed by the provider, is stale, or cannot be read."""


class PaymentProvider(abc.ABC):
    code: ClassVar[str]
    label: ClassVar[str]
    takes_cards: ClassVar[bool] = False

    @abc.abstractmethod
    def authorize(
        self, *, amount: Money, order_number: str, card: Card | None, idempotency_key: str
    ) -> ProviderResult:
        """Reserve ``amount``; repeating the call with the same key returns the same result."""

    @abc.abstractmethod
    def confirm(self, *, reference: str, token: str) -> ProviderResult:
        """Complete a ``requires_action`` authorisation (3-D Secure style)."""

    @abc.abstractmethod
    def capture(self, *, reference: str, amount: Money) -> ProviderResult:
        """Take ``amount`` of an authorised payment."""

    @abc.abstractmethod
    def refund(self, *, reference: str, amount: Money) -> str:
        """Give back ``amount`` of a captured payment; returns the refund's reference."""

    @abc.abstractmethod
    def void(self, *, reference: str) -> ProviderResult:
        """Release an authorisation that will not be captured."""

    @abc.abstractmethod
    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify the signature and read the event, or raise `InvalidWebhook`."""
