from urllib.parse import quote

import pytest
from django.urls import reverse

from inventory import api
from inventory.dtos import Line
from inventory.models import Movement, Stock
from inventory.serializers import MAX_QUERY_VALUE_LENGTH
from kernel.tests.outboxes import event_count

AVAILABILITY = reverse("v1:inventory-availability")
RECEIPTS = reverse("v1:inventory-receipts")
ADJUSTMENTS = reverse("v1:inventory-adjustments")


# --- availability ---------------------------------------------------------------


def test_availability_of_several_skus(api_client, put_stock):
    put_stock("A", ber=20)
    put_stock("B", rtm=2)

    response = api_client.get(AVAILABILITY, {"skus": "A, B,NOPE,A"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"sku": "A", "status": "in_stock", "quantity_shown": 10, "purchasable": True},
            {"sku": "B", "status": "low", "quantity_shown": 2, "purchasable": True},
            {"sku": "NOPE", "status": "out_of_stock", "quantity_shown": 0, "purchasable": False},
        ]
    }


@pytest.mark.parametrize(
    "query", [{}, {"skus": ""}, {"skus": " , "}, {"skus": ",".join(f"S{i}" for i in range(101))}]
)
def test_availability_needs_one_to_a_hundred_skus(api_client, db, query):
    response = api_client.get(AVAILABILITY, query)
    assert response.status_code == 400
    assert "skus" in response.json()["errors"]


@pytest.mark.parametrize("sku", ["thé", "TEA/1", "-TEA", "T" * 65])
def test_a_sku_the_catalog_could_not_hold_is_a_400_on_skus(api_client, db, sku):
    """SKUs as the catalog writes them, ASCII: the longest list the schema allows stays a
    request line servers read (8,190 bytes for gunicorn), percent-encoded or not."""
    response = api_client.get(AVAILABILITY, {"skus": f"TEA-1,{sku}"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"skus"}
    longest = quote(" " * MAX_QUERY_VALUE_LENGTH)  # the most a value grows when encoded
    assert len(f"{AVAILABILITY}?skus={longest}") < 8190


def test_availability_costs_the_same_queries_for_any_number_of_skus(
    api_client, put_stock, django_assert_max_num_queries
):
    skus = [f"S{i}" for i in range(40)]
    for sku in skus:
        put_stock(sku, ber=1)
    with django_assert_max_num_queries(1):
        api_client.get(AVAILABILITY, {"skus": "S0"})
    with django_assert_max_num_queries(1):
        assert len(api_client.get(AVAILABILITY, {"skus": ",".join(skus)}).json()["results"]) == 40


# --- receipts and adjustments -----------------------------------------------------


@pytest.fixture
def logged_in_clerk(api_client, clerk, warehouses, catalog_skus):
    catalog_skus("A")
    api_client.force_login(clerk)
    return api_client


def written() -> tuple[int, int, int]:
    return Stock.objects.count(), Movement.objects.count(), event_count()


def test_a_clerk_books_a_receipt(logged_in_clerk):
    response = logged_in_clerk.post(
        RECEIPTS, {"warehouse": "rtm", "sku": "A", "quantity": 5, "reference": "DN-1"}
    )

    assert response.status_code == 201
    assert response.json() == {
        "sku": "A",
        "warehouse": "rtm",
        "on_hand": 5,
        "allocated": 0,
        "reserved": 0,
        "available": 5,
    }
    movement = Movement.objects.get()
    assert (movement.kind, movement.actor, movement.reference) == ("receipt", "clerk", "DN-1")


def test_a_clerk_adjusts_with_a_reason(logged_in_clerk, put_stock):
    put_stock("A", ber=5)
    response = logged_in_clerk.post(
        ADJUSTMENTS, {"warehouse": "ber", "sku": "A", "quantity_delta": -2, "reason": "damaged"}
    )
    assert response.status_code == 201
    assert response.json()["on_hand"] == 3
    assert Movement.objects.filter(reason="damaged", on_hand_delta=-2).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"warehouse": "ber", "sku": "UNKNOWN", "quantity": 1}, "sku"),
        ({"warehouse": "ber", "sku": "A", "quantity": 0}, "quantity"),
        ({"warehouse": "ber", "sku": "A", "quantity": -3}, "quantity"),
        ({"warehouse": "ber", "sku": "A", "quantity": "many"}, "quantity"),
        ({"warehouse": "nowhere", "sku": "A", "quantity": 1}, "warehouse"),
        ({"sku": "A", "quantity": 1}, "warehouse"),
    ],
)
def test_a_bad_receipt_is_a_400_on_the_field_and_writes_nothing(logged_in_clerk, body, field):
    before = written()
    response = logged_in_clerk.post(RECEIPTS, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert written() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"warehouse": "ber", "sku": "A", "quantity_delta": 0, "reason": "x"}, "quantity_delta"),
        ({"warehouse": "ber", "sku": "A", "quantity_delta": 2}, "reason"),
        ({"warehouse": "ber", "sku": "UNKNOWN", "quantity_delta": 2, "reason": "x"}, "sku"),
        ({"warehouse": "nowhere", "sku": "A", "quantity_delta": 2, "reason": "x"}, "warehouse"),
    ],
)
def test_a_bad_adjustment_is_a_400_on_the_field_and_writes_nothing(logged_in_clerk, body, field):
    before = written()
    response = logged_in_clerk.post(ADJUSTMENTS, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert written() == before


def test_an_adjustment_below_what_orders_hold_is_a_409_and_writes_nothing(
    logged_in_clerk, put_stock
):
    put_stock("A", ber=3)
    api.allocate(order_ref="O-1", lines=[Line("A", 2)])
    before = written()

    response = logged_in_clerk.post(
        ADJUSTMENTS, {"warehouse": "ber", "sku": "A", "quantity_delta": -4, "reason": "lost"}
    )

    assert response.status_code == 409
    assert response.json()["shortages"] == [{"sku": "A", "requested": 4, "available": 1}]
    assert written() == before


def test_an_adjustment_below_zero_is_a_409(logged_in_clerk, put_stock):
    put_stock("A", ber=1)
    response = logged_in_clerk.post(
        ADJUSTMENTS, {"warehouse": "ber", "sku": "A", "quantity_delta": -2, "reason": "lost"}
    )
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff_without_permission"])
def test_only_staff_with_the_permission_may_book(api_client, django_user_model, warehouses, who):
    if who != "anonymous":
        user = django_user_model.objects.create_user(who, is_staff=who != "customer")
        api_client.force_login(user)
    before = written()

    for url in (RECEIPTS, ADJUSTMENTS):
        response = api_client.post(url, {"warehouse": "ber", "sku": "A", "quantity": 1})
        assert response.status_code == (401 if who == "anonymous" else 403)

    assert written() == before
