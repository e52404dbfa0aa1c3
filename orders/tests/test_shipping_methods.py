"""Shipping methods are data: seeded, edited by staff with validation, read by checkout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from orders import shipping
from orders.checkout import services as checkout
from orders.dtos import CheckoutError
from orders.shipping import ShippingMethod
from orders.tests.test_checkout import GUEST, ready_cart

pytestmark = pytest.mark.usefixtures("shop")


def test_a_fresh_database_offers_standard_and_express():
    assert [(m.code, m.kind, m.price, m.free_over, m.per_kg) for m in shipping.methods()] == [
        ("standard", "flat", Decimal("4.90"), Decimal("50.00"), Decimal("0.00")),
        ("express", "weight", Decimal("7.90"), None, Decimal("1.50")),
    ]


def test_a_method_limited_to_other_countries_is_refused_for_berlin():
    ShippingMethod.objects.filter(code="express").update(countries="AT, CH")
    with pytest.raises(CheckoutError, match="does not ship to DE") as refused:
        ready_cart(method="express")
    assert refused.value.field == "shipping_method"
    assert [m.code for m in shipping.methods(country="DE")] == ["standard"]
    assert [m.code for m in shipping.methods(country="AT")] == ["standard", "express"]


def test_a_deactivated_method_is_no_longer_offered_nor_accepted():
    cart = ready_cart(method="express")
    ShippingMethod.objects.filter(code="express").update(is_active=False)
    assert [m.code for m in shipping.methods()] == ["standard"]
    with pytest.raises(CheckoutError, match="Choose a shipping method"):
        checkout.checkout_summary(cart=cart, shopper=GUEST)


def test_staff_edit_a_method_and_checkout_charges_the_new_price(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    standard = ShippingMethod.objects.get(code="standard")
    url = reverse("admin:orders_shippingmethod_change", args=[standard.pk])
    form = {
        "code": "standard",
        "name": "Standard (3-5 days)",
        "kind": "flat",
        "price": "3.50",
        "per_kg": "0",
        "free_over": "",
        "countries": "de, at",
        "is_active": "on",
        "position": "10",
    }

    assert client.post(url, form).status_code == 302

    standard.refresh_from_db()
    assert (standard.price, standard.free_over, standard.countries) == (
        Decimal("3.50"),
        None,
        "DE, AT",
    )
    summary = checkout.checkout_summary(cart=ready_cart(), shopper=GUEST)
    assert summary.shipping.amount == Decimal("3.50")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "weight", "per_kg": "0"}, "per_kg"),
        ({"kind": "flat", "per_kg": "1.00"}, "per_kg"),
        ({"countries": "Germany"}, "countries"),
        ({"price": "-1"}, "price"),
    ],
)
def test_staff_get_a_field_error_for_an_incoherent_method(client, change, field):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    form = {
        "code": "pickup",
        "name": "Pick-up",
        "kind": "flat",
        "price": "0",
        "per_kg": "0",
        "countries": "",
        "position": "5",
        **change,
    }

    response = client.post(reverse("admin:orders_shippingmethod_add"), form)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not ShippingMethod.objects.filter(code="pickup").exists()
