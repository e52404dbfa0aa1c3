"""Read queries of accounts, returning DTOs."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import cache
from accounts.dtos import Customer, PostalAddress, SavedAddress
from accounts.models import Address

ADDRESS_FIELDS = tuple(PostalAddress.__dataclass_fields__)


def saved_address(address: Address) -> SavedAddress:
    return SavedAddress(
        id=address.pk,
        customer_id=address.customer_id,
        label=address.label,
        address=PostalAddress(**{name: getattr(address, name) for name in ADDRESS_FIELDS}),
        is_default_shipping=address.is_default_shipping,
        is_default_billing=address.is_default_billing,
    )


def addresses_of(*, customer_id: int) -> list[SavedAddress]:
    """The customer's address book, defaults first (one query)."""
    return [saved_address(a) for a in Address.objects.filter(customer_id=customer_id)]


def address_of(*, customer_id: int, address_id: int) -> SavedAddress | None:
    address = Address.objects.filter(customer_id=customer_id, pk=address_id).first()
    return saved_address(address) if address else None


def customer_pricing_groups(*, customer_id: int) -> tuple[str, ...]:
    """The names of the customer's groups, sorted (one query when not cached: cache.py)."""
    return cache.customer_groups(
        customer_id=customer_id,
        load=lambda: tuple(
            sorted(Group.objects.filter(user__pk=customer_id).values_list("name", flat=True))
        ),
    )


def customer(*, customer_id: int) -> Customer | None:
    user = get_user_model().objects.filter(pk=customer_id, is_active=True).first()
    if user is None:
        return None
    return Customer(id=user.pk, email=user.email, full_name=user.get_full_name())
