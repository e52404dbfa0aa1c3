"""The address book: pages, REST, and that a customer only ever sees their own."""

import pytest
from django.test import Client

from accounts import api, services
from accounts.dtos import PostalAddress
from accounts.models import Address

pytestmark = pytest.mark.django_db

BERLIN = {
    "full_name": "Ada Lovelace",
    "line1": "Invalidenstr. 1",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
}


@pytest.fixture
def others_address(other_customer):
    return services.address_save(
        customer_id=other_customer.pk, address=PostalAddress(**BERLIN), label="Grace's"
    )


def test_adding_an_address_on_the_page(signed_in, customer):
    response = signed_in.post("/account/addresses/new/", {**BERLIN, "label": "Home"})

    assert response.status_code == 302
    (saved,) = api.addresses_for(customer_id=customer.pk)
    assert saved.label == "Home"
    assert saved.address == PostalAddress(**BERLIN)
    assert saved.is_default_shipping  # the first address is the default...
    assert saved.is_default_billing  # ...for both


def test_a_bad_postal_code_is_a_form_error_and_nothing_is_saved(signed_in):
    response = signed_in.post("/account/addresses/new/", {**BERLIN, "postal_code": "1234"})

    assert response.status_code == 200
    assert "valid postal code for Germany" in response.context["form"].errors["postal_code"][0]
    assert not Address.objects.exists()


def test_a_new_default_takes_the_flag_from_the_old_one(customer):
    first = services.address_save(customer_id=customer.pk, address=PostalAddress(**BERLIN))
    second = services.address_save(
        customer_id=customer.pk,
        address=PostalAddress(**{**BERLIN, "city": "Potsdam", "postal_code": "14467"}),
        is_default_shipping=True,
    )

    first.refresh_from_db()
    assert (first.is_default_shipping, first.is_default_billing) == (False, True)
    assert api.addresses_for(customer_id=customer.pk)[0].id == second.pk


def test_editing_and_deleting_on_the_pages(signed_in, customer):
    row = services.address_save(customer_id=customer.pk, address=PostalAddress(**BERLIN))

    assert signed_in.get(f"/account/addresses/{row.pk}/").status_code == 200
    signed_in.post(f"/account/addresses/{row.pk}/", {**BERLIN, "city": "Berlin-Mitte"})
    row.refresh_from_db()
    assert row.city == "Berlin-Mitte"

    assert signed_in.post(f"/account/addresses/{row.pk}/delete/").status_code == 302
    assert not Address.objects.exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/account/addresses/{id}/"),
        ("post", "/account/addresses/{id}/"),
        ("post", "/account/addresses/{id}/delete/"),
        ("get", "/api/v1/accounts/addresses/{id}/"),
        ("put", "/api/v1/accounts/addresses/{id}/"),
        ("patch", "/api/v1/accounts/addresses/{id}/"),
        ("delete", "/api/v1/accounts/addresses/{id}/"),
    ],
)
def test_another_customers_address_is_not_found(signed_in, others_address, method, url):
    response = (
        getattr(signed_in, method)(
            url.format(id=others_address.pk), data=BERLIN, content_type="application/json"
        )
        if method in {"put", "patch"}
        else getattr(signed_in, method)(url.format(id=others_address.pk))
    )

    assert response.status_code == 404
    others_address.refresh_from_db()
    assert others_address.label == "Grace's"


def test_the_address_list_shows_only_ones_own(signed_in, customer, others_address):
    services.address_save(customer_id=customer.pk, address=PostalAddress(**BERLIN), label="Mine")

    page = signed_in.get("/account/addresses/").content.decode()
    api_list = signed_in.get("/api/v1/accounts/addresses/").json()

    assert "Mine" in page
    assert "Grace" not in page
    assert [a["label"] for a in api_list] == ["Mine"]


def test_rest_create_update_and_field_errors(signed_in, customer):
    created = signed_in.post(
        "/api/v1/accounts/addresses/",
        {"label": "Home", "address": {**BERLIN, "country": "NL", "postal_code": "1017ab"}},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["address"]["postal_code"] == "1017 AB"

    bad = signed_in.patch(
        f"/api/v1/accounts/addresses/{created.json()['id']}/",
        {"address": {"postal_code": "12"}},
        content_type="application/json",
    )
    assert bad.status_code == 422  # well formed; not a German postal code (the country's rule)
    assert "address.postal_code" in bad.json()["errors"]

    renamed = signed_in.patch(
        f"/api/v1/accounts/addresses/{created.json()['id']}/",
        {"label": "Flat"},
        content_type="application/json",
    )
    assert renamed.json()["label"] == "Flat"
    assert renamed.json()["address"]["city"] == "Berlin"


def test_rest_me_and_anonymous_access(client, signed_in, customer):
    assert signed_in.get("/api/v1/accounts/me/").json() == {
        "id": customer.pk,
        "email": "ada@example.com",
        "full_name": "Ada Lovelace",
    }
    assert Client().get("/api/v1/accounts/addresses/").status_code == 401


def test_session_posts_without_csrf_token_are_refused(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)

    page = client.post("/account/addresses/new/", BERLIN)
    rest = client.post(
        "/api/v1/accounts/addresses/", {"address": BERLIN}, content_type="application/json"
    )

    assert (page.status_code, rest.status_code) == (403, 403)
    assert not Address.objects.exists()


def test_the_address_book_page_query_count_is_constant(
    signed_in, customer, django_assert_max_num_queries
):
    for n in range(5):
        services.address_save(
            customer_id=customer.pk, address=PostalAddress(**BERLIN), label=f"Address {n}"
        )
    with django_assert_max_num_queries(4):
        assert signed_in.get("/account/addresses/").status_code == 200


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("post", "[1, 2]"),
        ("post", '{"address": "Berlin"}'),
        ("post", "not json"),
        ("patch", "[]"),
        ("patch", '{"address": ["x"]}'),
        ("patch", '{"address": null}'),
        ("put", '"x"'),
        ("patch", '{"is_default_shipping": "yes"}'),  # the schema says boolean
        ("patch", '{"is_default_billing": 1}'),
    ],
)
def test_malformed_bodies_are_a_400(signed_in, customer, method, body):
    row = services.address_save(customer_id=customer.pk, address=PostalAddress(**BERLIN))
    url = "/api/v1/accounts/addresses/" + ("" if method == "post" else f"{row.pk}/")

    response = getattr(signed_in, method)(url, body, content_type="application/json")

    assert response.status_code == 400
    assert Address.objects.count() == 1


def test_the_address_book_has_a_ceiling_on_the_api_and_the_page(signed_in, customer, monkeypatch):
    """The book's list is not paged (a few addresses by nature), so its size is capped:
    without a ceiling a script could save addresses until every read of the book and
    every checkout form that offers them is as large as it likes."""
    monkeypatch.setattr(services, "MAX_ADDRESSES", 2)
    for city in ("Berlin", "Potsdam"):
        services.address_save(customer_id=customer.pk, address=PostalAddress(**BERLIN), label=city)

    answer = signed_in.post(
        "/api/v1/accounts/addresses/", {"address": BERLIN}, content_type="application/json"
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "address_book_full"
    page = signed_in.post("/account/addresses/new/", {**BERLIN, "label": "Third"})
    assert page.status_code == 200
    assert "at most 2 addresses" in page.context["form"].non_field_errors()[0]
    assert Address.objects.filter(customer_id=customer.pk).count() == 2
    # Editing one of them is still allowed.
    first = Address.objects.filter(customer_id=customer.pk).first()
    edited = signed_in.patch(
        f"/api/v1/accounts/addresses/{first.pk}/",
        {"label": "Home"},
        content_type="application/json",
    )
    assert edited.status_code == 200
