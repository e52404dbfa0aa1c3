"""The public, in-process interface of accounts: keyword-only functions returning DTOs.

Orders (checkout, order snapshots) and the storefront call only this module
(and read ``dtos``). After a split it is the one file that becomes an HTTP
client.
"""

from __future__ import annotations

from accounts import address_rules, selectors
from accounts.dtos import Country, Customer, PostalAddress, SavedAddress


def validate_address(*, address: PostalAddress) -> PostalAddress:
    """The address normalised for its country, or `accounts.dtos.InvalidAddress`."""
    return address_rules.validate(address)


def supported_countries() -> tuple[Country, ...]:
    return address_rules.countries()


def addresses_for(*, customer_id: int) -> list[SavedAddress]:
    """The customer's address book, default addresses first."""
    return selectors.addresses_of(customer_id=customer_id)


def customer_pricing_groups(*, customer_id: int) -> tuple[str, ...]:
    """The groups whose price lists and promotions apply to the customer (sorted names).

    Accounts owns who belongs to which group (staff assign them in the
    admin); pricing names its price lists after them.
    """
    return selectors.customer_pricing_groups(customer_id=customer_id)


def customer(*, customer_id: int) -> Customer | None:
    """An active customer, or None."""
    return selectors.customer(customer_id=customer_id)
