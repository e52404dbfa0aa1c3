"""Data that crosses the accounts boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kernel.errors import DomainError
from kernel.fields import TextField
from kernel.translatable import gettext_noop, translate

#: The supported countries' names by ISO code (their rules: address_rules.py).
COUNTRY_NAMES = {
    "DE": gettext_noop("Germany"),
    "FR": gettext_noop("France"),
    "NL": gettext_noop("Netherlands"),
    "GB": gettext_noop("United Kingdom"),
    "US": gettext_noop("United States"),
}


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A postal address as it is printed on a parcel.

    Orders snapshot this onto an order (``as_dict``), so an order keeps the
    address it was shipped to when the customer later edits their book.
    ``region`` is the state for US addresses, empty elsewhere.
    """

    full_name: str
    line1: str
    postal_code: str
    city: str
    country: str
    line2: str = ""
    company: str = ""
    region: str = ""
    phone: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def lines(self) -> tuple[str, ...]:
        """The address as label lines, empty parts left out, the country by name
        in the active language."""
        locality = (
            f"{self.city}, {self.region} {self.postal_code}"
            if self.country == "US"
            else f"{self.postal_code} {self.city}"
            if self.country in {"DE", "FR", "NL"}
            else f"{self.city} {self.postal_code}"
        )
        name = COUNTRY_NAMES.get(self.country)
        country = translate(name) if name else self.country
        parts = (self.full_name, self.company, self.line1, self.line2, locality, country)
        return tuple(part for part in parts if part)


#: A postal address as forms and APIs ask for it, in the order they show it.
#: ``required``: by every country; a country's rule may require more (US:
#: region). Countries: ``accounts.api.supported_countries()``. The one
#: table the address book's and checkout's forms and serializers are built
#: from (``kernel.forms.shape_form``, ``kernel.rest.shape_serializer``).
ADDRESS_FIELDS: tuple[TextField, ...] = (
    TextField("full_name", gettext_noop("Full name"), 150, required=True, autofill="name"),
    TextField("company", gettext_noop("Company"), 150, autofill="organization"),
    TextField(
        "line1", gettext_noop("Address line 1"), 200, required=True, autofill="address-line1"
    ),
    TextField("line2", gettext_noop("Address line 2"), 200, autofill="address-line2"),
    TextField(
        "postal_code", gettext_noop("Postal code"), 20, required=True, autofill="postal-code"
    ),
    TextField("city", gettext_noop("City"), 100, required=True, autofill="address-level2"),
    TextField("region", gettext_noop("State / region"), 60, autofill="address-level1"),
    TextField("country", gettext_noop("Country"), 2, required=True, autofill="country"),
    TextField("phone", gettext_noop("Phone"), 40, autofill="tel"),
)


@dataclass(frozen=True, slots=True)
class SavedAddress:
    """An entry of a customer's address book."""

    id: int
    customer_id: int
    label: str
    address: PostalAddress
    is_default_shipping: bool
    is_default_billing: bool


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    email: str
    full_name: str


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    postal_code_example: str


class InvalidAddress(DomainError, ValueError):
    """An address that cannot be shipped to; ``errors`` maps field names to messages.

    REST answers a 422 (well formed, refused by the country's rules) with the
    messages under the ``address`` input.
    """

    field = "address"
    http_status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors

    def http_body(self) -> dict[str, object]:
        return {self.field: self.errors}


class AddressNotFound(DomainError, LookupError):
    """No address with that id in this customer's book (another's counts as none): a 404."""

    http_status = 404

    def http_body(self) -> dict[str, object]:
        return {"detail": "No such address."}


class AddressBookFull(DomainError):
    """A new address for a book that holds ``services.MAX_ADDRESSES`` already: a 409
    ``address_book_full`` (delete one first); editing one stays allowed."""

    http_status = 409
    code = "address_book_full"

    def __init__(self, most: int) -> None:
        self.most = most
        super().__init__(translate(ADDRESS_BOOK_FULL) % {"most": most})

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": self.code}


ADDRESS_BOOK_FULL = gettext_noop(
    "Your address book holds at most %(most)s addresses; delete one to add another."
)


#: The one wording, for the sign-up form's check and for a sign-up that lost the race.
EMAIL_TAKEN = gettext_noop("An account with this e-mail address already exists.")


class EmailTaken(DomainError):
    """An account with this e-mail exists: one signed up between the form's check and the
    insert (two sign-ups at once). A 422 on ``email``, as the form's check answers."""

    field = "email"
    http_status = 422

    def __init__(self) -> None:
        super().__init__(translate(EMAIL_TAKEN), field="email")


class SignInRefused(DomainError):
    """Wrong e-mail or password: one message for both, so no guess learns which it was.

    REST answers 401 (the credentials do not authenticate), not 400: the
    request itself is well formed.
    """

    http_status = 401

    def __init__(self) -> None:
        super().__init__("E-mail or password is incorrect.")

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": "invalid_credentials"}
