"""Write use cases of accounts, each in one transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError

from accounts import address_rules
from accounts.dtos import AddressBookFull, AddressNotFound, EmailTaken, PostalAddress
from accounts.emails import canonical_email
from accounts.models import Address
from kernel.databases import atomic


@atomic("accounts")
def customer_create(*, email: str, password: str, first_name: str, last_name: str):
    """A shopper account; the e-mail address, in its one form (`accounts.emails`), is the
    user name.

    Raises `EmailTaken` when the address signed up meanwhile (the sign-up form
    checked it, but two sign-ups at once both pass that check).
    """
    email = canonical_email(email)
    try:
        with atomic("accounts"):
            return get_user_model().objects.create_user(
                username=email,
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
    except IntegrityError as taken:
        raise EmailTaken() from taken


#: Saved addresses a customer may keep: the book is listed whole (not paged), so it is capped.
MAX_ADDRESSES = 50


@atomic("accounts")
def address_save(
    *,
    customer_id: int,
    address: PostalAddress,
    label: str = "",
    is_default_shipping: bool = False,
    is_default_billing: bool = False,
    address_id: int | None = None,
) -> Address:
    """Create (no ``address_id``) or update one of the customer's addresses.

    The address is validated for its country first (`InvalidAddress`); a full book
    takes no new one (`AddressBookFull`, ``MAX_ADDRESSES``). A new
    default takes the flag from the previous one; the customer's first
    address becomes the default for both, so checkout always has one. A
    customer's address book changes one save at a time (`_book_locked`).
    """
    address = address_rules.validate(address)
    _book_locked(customer_id)
    if address_id is None:
        row = Address(customer_id=customer_id)
        held = Address.objects.filter(customer_id=customer_id).count()
        if held >= MAX_ADDRESSES:
            raise AddressBookFull(MAX_ADDRESSES)
        if not held:
            is_default_shipping = is_default_billing = True
    else:
        row = _own_address(customer_id=customer_id, address_id=address_id, lock=True)
    others = Address.objects.filter(customer_id=customer_id).exclude(pk=row.pk)
    if is_default_shipping:
        others.filter(is_default_shipping=True).update(is_default_shipping=False)
    if is_default_billing:
        others.filter(is_default_billing=True).update(is_default_billing=False)
    for name, value in address.as_dict().items():
        setattr(row, name, value)
    row.label = label.strip()
    row.is_default_shipping = is_default_shipping
    row.is_default_billing = is_default_billing
    row.save()
    return row


@atomic("accounts")
def address_delete(*, customer_id: int, address_id: int) -> None:
    _own_address(customer_id=customer_id, address_id=address_id, lock=True).delete()


def _book_locked(customer_id: int) -> None:
    """Lock the customer's row until the transaction ends: two saves of one address book
    at once (two default addresses, two "first" addresses) would each see the other's
    flags unset and break the one-default rule with a 500."""
    list(get_user_model().objects.select_for_update().filter(pk=customer_id).values_list("pk"))


def _own_address(*, customer_id: int, address_id: int, lock: bool = False) -> Address:
    rows = Address.objects.select_for_update() if lock else Address.objects
    row = rows.filter(customer_id=customer_id, pk=address_id).first()
    if row is None:
        raise AddressNotFound(address_id)
    return row
