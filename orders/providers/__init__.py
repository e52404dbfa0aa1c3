"""Payment providers by code. Adding one: implement `base.PaymentProvider`, list it here."""

from __future__ import annotations

from orders.dtos import PaymentError
from orders.providers.base import PaymentProvider
from orders.providers.offline import BankTransferProvider, CashOnDeliveryProvider
from orders.providers.sandbox import SandboxProvider

PROVIDERS: dict[str, PaymentProvider] = {
    provider.code: provider
    for provider in (SandboxProvider(), BankTransferProvider(), CashOnDeliveryProvider())
}


def get_provider(code: str) -> PaymentProvider:
    try:
        return PROVIDERS[code]
    except KeyError:
        raise PaymentError(f"Unknown payment method {code!r}.") from None
