"""A required text made only of invisible characters is blank, wherever a shopper types it.

A zero-width space, a byte-order mark or a bidirectional override pasted alone
looks like nothing on a parcel label, a review or a greeting, yet ``str.strip``
keeps it, so it passed every "required" check (an address with no visible
name, street or city was saved and shipped to).
"""

import pytest

from accounts import api as accounts_api
from accounts.dtos import InvalidAddress, PostalAddress
from accounts.forms import SignUpForm
from reviews.dtos import InvalidReview, ReviewDraft
from reviews.services import check_draft

INVISIBLE = ["\u200b", "\ufeff", "\u202e", "\u2060", "\u00ad", " \u200b\u200d "]


@pytest.mark.parametrize("text", INVISIBLE)
@pytest.mark.parametrize("field", ["full_name", "line1", "city"])
def test_an_address_field_of_invisible_characters_is_required(field, text):
    fields = {"full_name": "Ada", "line1": "Main Street 1", "postal_code": "10115",
              "city": "Berlin", "country": "DE", field: text}  # fmt: skip
    with pytest.raises(InvalidAddress) as refused:
        accounts_api.validate_address(address=PostalAddress(**fields))
    assert field in refused.value.errors


def test_invisible_characters_around_a_value_are_trimmed():
    address = PostalAddress(full_name="\ufeffAda\u200b", line1="Main Street 1",
                            postal_code="10115", city="Berlin", country="DE")  # fmt: skip
    assert accounts_api.validate_address(address=address).full_name == "Ada"


@pytest.mark.parametrize("text", INVISIBLE)
@pytest.mark.parametrize("field", ["title", "body"])
def test_a_review_of_invisible_characters_is_refused(field, text):
    draft = {"rating": 5, "title": "Good", "body": "Works well.", "pros": "", "cons": ""}
    with pytest.raises(InvalidReview) as refused:
        check_draft(ReviewDraft(**{**draft, field: text}))
    assert field in refused.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize("text", INVISIBLE)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_of_invisible_characters_is_refused_at_sign_up(field, text):
    password = "a much better passphrase 42"
    data = {"email": "new@example.com", "first_name": "Ada", "last_name": "Lovelace",
            "password1": password, "password2": password}  # fmt: skip
    form = SignUpForm({**data, field: text})
    assert not form.is_valid()
    assert form.errors[field]
