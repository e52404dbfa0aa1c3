"""A mobile app's journey through the Commerce API, written with nothing but ``requests``.

    python examples/mobile_client.py http://localhost:8000

It buys as a guest, then signs up, signs out, signs in and buys as a
customer: open the home screen (one call: ``home/``), pick a product and
open its screen (one call: ``products/<sku>/``, with its rating and first
reviews), fill a cart, check out, pay with the sandbox
card 4242 4242 4242 4242 and read the order back. docs/api.md explains each
step; the test suite runs these functions against a live server
(tests/test_mobile_client.py). Like an app, it keeps no cookies: a guest is
its cart token and an order access token, a customer its sign-in token.
"""

from __future__ import annotations

import argparse
import datetime
import uuid
from dataclasses import dataclass

import requests

SANDBOX_CARD = {
    "number": "4242 4242 4242 4242",
    "exp_month": 12,
    "exp_year": datetime.date.today().year + 3,
    "cvc": "123",
}
ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "Invalidenstr. 1",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
}


class ApiError(Exception):
    """An answer the journey did not expect: its status and body, as the server sent them."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"{response.request.method} {response.url}: {response.status_code} "
                         f"{response.text[:500]}")  # fmt: skip
        self.status = response.status_code
        self.body = response.json() if response.content else None


@dataclass
class Api:
    """The versioned API at ``base_url``; ``token``: the signed-in customer's, if any."""

    base_url: str
    token: str | None = None

    def call(self, method: str, path: str, *, body=None, key: str | None = None,
             headers: dict | None = None, params: dict | None = None,
             expect=(200, 201, 202, 204)):  # fmt: skip
        """One request. ``key``: the Idempotency-Key, the same for every retry of one action."""
        headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        url = f"{self.base_url.rstrip('/')}/api/v1{path}"
        response = requests.request(
            method, url, json=body, params=params, headers=headers, timeout=15
        )
        if response.status_code not in expect:
            raise ApiError(response)
        return response.json() if response.content else None


def new_key() -> str:
    """A fresh Idempotency-Key: one per action the shopper takes (not per attempt)."""
    return str(uuid.uuid4())


# --- Account -------------------------------------------------------------------------


def sign_up(api: Api, *, email: str, password: str, first_name: str, last_name: str,
            cart: str | None = None) -> dict:  # fmt: skip
    """Create the account; the answer signs this device in (``token``)."""
    body = {"email": email, "password": password, "first_name": first_name,
            "last_name": last_name, **({"cart": cart} if cart else {})}  # fmt: skip
    answer = api.call("POST", "/auth/sign-up/", body=body)
    api.token = answer["token"]
    return answer


def sign_in(api: Api, *, email: str, password: str, cart: str | None = None) -> dict:
    """A token for this device; ``cart``: the guest cart to merge into the account's."""
    body = {"email": email, "password": password, **({"cart": cart} if cart else {})}
    answer = api.call("POST", "/auth/sign-in/", body=body)
    api.token = answer["token"]
    return answer


def sign_out(api: Api) -> None:
    """Revoke this device's token at the server, then forget it."""
    api.call("POST", "/auth/sign-out/")
    api.token = None


# --- Shopping ------------------------------------------------------------------------


def home(api: Api) -> dict:
    """The home screen: categories, promotions, new arrivals and best sellers (cards)."""
    return api.call("GET", "/home/")


def search(api: Api, **filters) -> dict:
    """A page of cards; ``filters``: ``q``, ``category``, ``in_stock``, ``sort``, ``page``..."""
    return api.call("GET", "/search/", params=filters)


def product_screen(api: Api, sku: str) -> dict:
    """A product with each variant's price and availability for this shopper, its
    rating and first reviews, and recommendations (each null if not available now)."""
    return api.call("GET", f"/products/{sku}/")


def pick_product(api: Api) -> tuple[dict, dict]:
    """The home feed and the screen of the first product on it that can be bought,
    or else of the first in stock that search finds (a shop without shelves yet)."""
    feed = home(api)
    cards = [*feed["best_sellers"], *feed["new_arrivals"]]
    cards += search(api, in_stock="true")["results"]
    for card in cards:
        if card["purchasable"]:
            return feed, product_screen(api, card["sku"])
    raise LookupError("Nothing in the catalog can be bought right now.")


def first_purchasable_variant(screen: dict) -> dict:
    return next(variant for variant in screen["variants"] if variant["purchasable"])


def open_cart(api: Api) -> dict:
    """A new guest cart, or the signed-in customer's one cart."""
    return api.call("POST", "/cart/", body={})


def add_to_cart(api: Api, cart: str, sku: str, quantity: int = 1) -> dict:
    return api.call("POST", f"/cart/{cart}/lines/", body={"sku": sku, "quantity": quantity})


def checkout_details(email: str | None = None) -> dict:
    details = {"shipping_address": ADDRESS, "shipping_method": "standard"}
    return {**details, "email": email} if email else details


def review(api: Api, cart: str, details: dict) -> dict:
    """Store who and where, hold the stock, and get the total to confirm."""
    return api.call("POST", f"/cart/{cart}/checkout/", body=details)


def place_order(api: Api, cart: str, details: dict, expected_total: str) -> dict:
    """Place the order once, whatever the retries: the total shown must still be right."""
    key = new_key()
    body = {"cart": cart, **details, "expected_total": expected_total}
    return api.call("POST", "/orders/", body=body, key=key)


def access(access_token: str | None) -> dict:
    return {"Order-Access-Token": access_token} if access_token else {}


def pay(api: Api, number: str, access_token: str | None = None) -> dict:
    """Pay with the sandbox card; a guest proves the order with its access token."""
    body = {"provider": "sandbox", "card": SANDBOX_CARD}
    return api.call("POST", f"/orders/{number}/payments/", body=body, key=new_key(),
                    headers=access(access_token))  # fmt: skip


def see_order(api: Api, number: str, access_token: str | None = None) -> dict:
    return api.call("GET", f"/orders/{number}/", headers=access(access_token))


def my_orders(api: Api) -> list[dict]:
    return api.call("GET", "/orders/")["results"]


# --- Journeys ------------------------------------------------------------------------


def buy(api: Api, cart: str, email: str | None = None) -> tuple[dict, dict, dict]:
    """Review, place and pay a filled cart; returns the order placed, the payment, the order now."""
    details = checkout_details(email)
    total = review(api, cart, details)["grand_total"]["amount"]
    order = place_order(api, cart, details, total)
    token = order.get("access_token")
    payment = pay(api, order["number"], token)
    return order, payment, see_order(api, order["number"], token)


def guest_journey(base_url: str, email: str = "guest@example.com") -> dict:
    api = Api(base_url)
    feed, screen = pick_product(api)
    variant = first_purchasable_variant(screen)
    cart = open_cart(api)["token"]
    add_to_cart(api, cart, variant["sku"], 2)
    order, payment, now = buy(api, cart, email)
    return {"home": feed, "product": screen, "variant": variant, "order": order,
            "payment": payment, "order_now": now}  # fmt: skip


def customer_journey(base_url: str, email: str, password: str) -> dict:
    api = Api(base_url)
    variant = first_purchasable_variant(pick_product(api)[1])
    guest_cart = open_cart(api)["token"]
    add_to_cart(api, guest_cart, variant["sku"])  # before signing up, as a guest
    account = sign_up(api, email=email, password=password, first_name="Grace",
                      last_name="Hopper", cart=guest_cart)  # fmt: skip
    sign_out(api)
    sign_in(api, email=email, password=password)
    cart = open_cart(api)  # the account's cart, with the guest's line merged in
    add_to_cart(api, cart["token"], variant["sku"])
    order, payment, now = buy(api, cart["token"])
    return {"account": account, "cart": cart, "order": order, "payment": payment,
            "order_now": now, "orders": my_orders(api)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="e.g. http://localhost:8000")
    parser.add_argument("--email", default=f"app-{uuid.uuid4().hex[:8]}@example.com")
    parser.add_argument("--password", default="correct horse battery staple")
    args = parser.parse_args()
    guest = guest_journey(args.base_url)
    print(f"guest: order {guest['order']['number']} is {guest['order_now']['status']}")
    customer = customer_journey(args.base_url, args.email, args.password)
    orders = len(customer["orders"])
    print(f"{args.email}: order {customer['order']['number']} is "
          f"{customer['order_now']['status']}; "
          f"{orders} order{'' if orders == 1 else 's'} in the account")  # fmt: skip


if __name__ == "__main__":
    main()
