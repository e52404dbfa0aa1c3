"""Per-country address rules: required fields, postal code formats, normalising."""

import pytest

from accounts import api
from accounts.dtos import InvalidAddress, PostalAddress


def address(**overrides) -> PostalAddress:
    fields = {
        "full_name": "Ada Lovelace",
        "line1": "Main Street 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    return PostalAddress(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("country", "given", "stored"),
    [
        ("DE", "10115", "10115"),
        ("FR", " 75001 ", "75001"),
        ("NL", "1017ab", "1017 AB"),
        ("NL", "1017 AB", "1017 AB"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", "M1 1AE", "M1 1AE"),
        ("US", "94103", "94103"),
        ("US", "94103-1234", "94103-1234"),
    ],
)
def test_valid_postal_codes_are_normalised(country, given, stored):
    region = "CA" if country == "US" else ""
    valid = api.validate_address(address=address(country=country, postal_code=given, region=region))
    assert valid.postal_code == stored


@pytest.mark.parametrize(
    ("country", "postal_code"),
    [
        ("DE", "1011"),
        ("DE", "ABCDE"),
        ("FR", "750011"),
        ("NL", "0123 AB"),
        ("NL", "1017"),
        ("GB", "12345"),
        ("US", "9410"),
        ("US", "94103-12"),
        # Other scripts' digits: Python's \d takes them, a carrier's label does not.
        ("DE", "\uff11\uff10\uff11\uff11\uff15"),  # full-width, as a Japanese keyboard types it
        ("FR", "\u0667\u0665\u0660\u0660\u0661"),  # Arabic-Indic
        ("NL", "1\u0966\u0967\u0667 AB"),  # Devanagari after an ASCII first digit
        ("GB", "SW1A \u0661AA"),
        ("US", "94103-\u0967\u0968\u0969\u096a"),
    ],
)
def test_invalid_postal_codes_are_refused_with_an_example(country, postal_code):
    with pytest.raises(InvalidAddress) as refused:
        api.validate_address(address=address(country=country, postal_code=postal_code, region="CA"))
    assert list(refused.value.errors) == ["postal_code"]
    assert "for example" in refused.value.errors["postal_code"][0]


def test_every_missing_required_field_is_named():
    with pytest.raises(InvalidAddress) as refused:
        api.validate_address(address=address(full_name=" ", line1="", city="", postal_code=""))
    assert set(refused.value.errors) == {"full_name", "line1", "city", "postal_code"}


def test_a_us_address_needs_a_known_state():
    with pytest.raises(InvalidAddress) as missing:
        api.validate_address(address=address(country="US", postal_code="94103"))
    with pytest.raises(InvalidAddress) as unknown:
        api.validate_address(address=address(country="US", postal_code="94103", region="XX"))
    assert list(missing.value.errors) == ["region"]
    assert list(unknown.value.errors) == ["region"]
    assert api.validate_address(
        address=address(country="us", postal_code="94103", region="ca")
    ) == address(country="US", postal_code="94103", region="CA")


def test_an_unsupported_country_is_refused():
    with pytest.raises(InvalidAddress) as refused:
        api.validate_address(address=address(country="ZZ"))
    assert "We do not ship" in refused.value.errors["country"][0]


def test_supported_countries_are_the_demo_countries():
    assert [c.code for c in api.supported_countries()] == ["DE", "FR", "NL", "GB", "US"]


def test_address_lines_follow_the_country_convention():
    assert address().lines()[-2] == "10115 Berlin"
    us = address(country="US", postal_code="94103", region="CA", city="San Francisco")
    assert us.lines()[-2] == "San Francisco, CA 94103"


@pytest.mark.parametrize("phone", ["+49 30 1234567", "030/1234567", "+1 (555) 010-0199", ""])
def test_a_phone_number_is_written_as_people_write_one(phone):
    assert api.validate_address(address=address(phone=phone)).phone == phone


@pytest.mark.parametrize("phone", ["abc", "123", "+49 abc 1234567", "\u0663" * 7])
def test_a_phone_no_courier_could_call_is_refused_on_its_field(phone):
    with pytest.raises(InvalidAddress) as refused:
        api.validate_address(address=address(phone=phone))
    assert set(refused.value.errors) == {"phone"}
