"""Whether mail can be sent to an address's domain: IDNA must map it.

Django's ``EmailValidator`` takes any character above U+00A0 in a domain,
so ``x@\\u200b.de`` (a label with nothing left once mapped), an address
with a bidi mark pasted after it (``x@example.com\\u200f``) or a broken
``xn--`` label pass it; Django's mail sending then puts the domain through
IDNA and fails. Every input that keeps an address to mail it later (an
account's, a guest order's) refuses such a one with the validator's own
message, where it is typed, rather than take it and fail at the first mail.

The same validator also takes ``localhost`` (its allow list) and an IP
address in brackets for a domain. No shopper's mailbox is there: the mail
would go to the shop's own server or network, a guest's order with it. A
domain must be a name with a dot, as every domain on the internet is
(ICANN permits no mail on a top-level name alone).
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator


def idna_form(domain: str) -> str | None:
    """``domain`` through IDNA's mapping and back (its Unicode form), or None if IDNA
    cannot map it (Python's ``idna`` codec, the one Django's mail sending uses)."""
    with contextlib.suppress(UnicodeError):
        return domain.encode("idna").decode("idna")
    return None


def validate_mailable(address: str) -> None:
    """A field validator: the address's domain is a dotted name IDNA maps."""
    domain = idna_form(address.strip().rpartition("@")[2])
    if domain is None or "." not in domain or domain.startswith("["):
        raise ValidationError(EmailValidator.message, code="invalid")
