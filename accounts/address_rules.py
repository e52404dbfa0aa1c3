"""Per-country address rules: which fields are required, what a postal code looks like.

One table for the demo countries, used by the address book form, the REST
endpoint and (through ``accounts.api.validate_address``) checkout, so a
postal code is judged the same everywhere. Normalising (upper case, the
canonical space) happens here too, so "1017ab" is stored as "1017 AB".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext

from accounts.dtos import ADDRESS_FIELDS, COUNTRY_NAMES, Country, InvalidAddress, PostalAddress
from kernel.fields import visible_or_blank

#: Fields every country requires.
ALWAYS_REQUIRED = tuple(spec.name for spec in ADDRESS_FIELDS if spec.required)

#: The two-letter codes of US states, DC and the territories with ZIP codes.
_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP"
)
US_STATES = frozenset(_STATES.split())


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _nl(value: str) -> str:
    compact = _compact(value)
    return f"{compact[:4]} {compact[4:]}"


def _gb(value: str) -> str:
    compact = _compact(value)
    return f"{compact[:-3]} {compact[-3:]}"


def _postal_code(pattern: str) -> re.Pattern[str]:
    """A postal code's pattern in which ``\\d`` is an ASCII digit. Python's ``\\d`` also takes
    full-width digits (as a Japanese keyboard types them) and other scripts' digits, which
    would pass and be printed on a parcel's label that a courier's machine cannot read."""
    return re.compile(pattern, re.ASCII)


@dataclass(frozen=True)
class CountryRule:
    country: Country
    postal_code: re.Pattern[str]
    normalise: Callable[[str], str] = _compact
    required: tuple[str, ...] = ALWAYS_REQUIRED
    regions: frozenset[str] = field(default_factory=frozenset)


RULES: dict[str, CountryRule] = {
    rule.country.code: rule
    for rule in (
        CountryRule(Country("DE", COUNTRY_NAMES["DE"], "10115"), _postal_code(r"\d{5}")),
        CountryRule(Country("FR", COUNTRY_NAMES["FR"], "75001"), _postal_code(r"\d{5}")),
        CountryRule(
            Country("NL", COUNTRY_NAMES["NL"], "1017 AB"), _postal_code(r"[1-9]\d{3} [A-Z]{2}"), _nl
        ),
        CountryRule(
            Country("GB", COUNTRY_NAMES["GB"], "SW1A 1AA"),
            _postal_code(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}"),
            _gb,
        ),
        CountryRule(
            Country("US", COUNTRY_NAMES["US"], "94103 or 94103-1234"),
            _postal_code(r"\d{5}(-\d{4})?"),
            required=(*ALWAYS_REQUIRED, "region"),
            regions=US_STATES,
        ),
    )
}


def countries() -> tuple[Country, ...]:
    return tuple(rule.country for rule in RULES.values())


#: A phone number as people write one: digits (ASCII, at least five), a leading "+", and
#: spaces, brackets, dots, dashes or slashes between them. Not a number that is dialled
#: (that would take every country's numbering plan), but never "abc".
_PHONE = re.compile(r"\+?(?:[ ()./-]*[0-9]){5,}[ ()./-]*")


def validate(address: PostalAddress) -> PostalAddress:
    """The address, trimmed and normalised; or `InvalidAddress` naming every bad field."""
    cleaned = replace(
        address,
        **{
            name: " ".join(visible_or_blank(str(getattr(address, name))).split())
            for name in address.as_dict()
        },
    )
    cleaned = replace(cleaned, country=cleaned.country.upper(), region=cleaned.region.upper())
    rule = RULES.get(cleaned.country)
    if rule is None:
        supported = ", ".join(RULES)
        raise InvalidAddress(
            {
                "country": [
                    gettext("We do not ship to this country; we ship to %(countries)s.")
                    % {"countries": supported}
                ]
            }
        )

    errors: dict[str, list[str]] = {}
    for name in rule.required:
        if not getattr(cleaned, name):
            errors.setdefault(name, []).append(gettext("This field is required."))
    if cleaned.postal_code:
        postal_code = rule.normalise(cleaned.postal_code)
        if rule.postal_code.fullmatch(postal_code):
            cleaned = replace(cleaned, postal_code=postal_code)
        else:
            errors.setdefault("postal_code", []).append(
                gettext("Not a valid postal code for %(country)s (for example %(example)s).")
                % {
                    "country": gettext(rule.country.name),
                    "example": rule.country.postal_code_example,
                }
            )
    if rule.regions and cleaned.region and cleaned.region not in rule.regions:
        errors.setdefault("region", []).append(gettext("Enter the two-letter state code, e.g. CA."))
    if cleaned.phone and not _PHONE.fullmatch(cleaned.phone):
        errors.setdefault("phone", []).append(
            gettext("Enter a phone number the courier can call, e.g. +49 30 1234567.")
        )
    if errors:
        raise InvalidAddress(errors)
    return cleaned
