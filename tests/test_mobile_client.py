"""examples/mobile_client.py, as documented, runs its journeys against a live server."""

import pytest

from examples import mobile_client
from tests.builders import offer_product

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=20)


def test_a_guest_buys_and_pays_and_sees_the_order(live_server, shop):
    journey = mobile_client.guest_journey(live_server.url)

    assert [card["sku"] for card in journey["home"]["new_arrivals"]] == ["TEA-1"]
    assert journey["product"]["title"] == "Green Tea"
    assert journey["product"]["rating"] == {"average": None, "count": 0,
                                            "histogram": [0, 0, 0, 0, 0]}  # fmt: skip
    assert journey["product"]["reviews"] == []
    assert journey["variant"]["sku"] == "TEA-1"
    assert journey["variant"]["price"] == {"amount": "12.50", "currency": "EUR"}
    assert journey["order"]["status"] == "pending_payment"
    assert journey["order"]["access_token"]
    assert journey["payment"]["status"] == "captured"
    assert journey["order_now"]["status"] == "paid"
    assert journey["order_now"]["email"] == "guest@example.com"
    assert [line["quantity"] for line in journey["order_now"]["lines"]] == [2]


def test_a_customer_signs_up_signs_in_buys_and_finds_the_order(live_server, shop):
    journey = mobile_client.customer_journey(
        live_server.url, "grace@example.com", "correct horse battery staple"
    )

    assert journey["account"]["customer"]["email"] == "grace@example.com"
    assert journey["cart"]["item_count"] == 1  # the guest's line, merged at sign-up
    assert journey["order"]["status"] == "pending_payment"
    assert "access_token" not in journey["order"]
    assert journey["payment"]["status"] == "captured"
    assert journey["order_now"]["status"] == "paid"
    assert [line["quantity"] for line in journey["order_now"]["lines"]] == [2]
    assert [o["number"] for o in journey["orders"]] == [journey["order"]["number"]]


def test_a_revoked_token_is_refused_with_the_servers_answer(live_server, shop):
    api = mobile_client.Api(live_server.url)
    mobile_client.sign_up(
        api, email="ada@example.com", password="correct horse battery staple",
        first_name="Ada", last_name="Lovelace",
    )  # fmt: skip
    token = api.token
    mobile_client.sign_out(api)
    api.token = token

    with pytest.raises(mobile_client.ApiError) as refused:
        mobile_client.my_orders(api)
    assert refused.value.status == 401
