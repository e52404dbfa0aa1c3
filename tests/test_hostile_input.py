"""No input yields a 5xx: every route, every class of hostile input, on PostgreSQL.

PostgreSQL because it is the database that refuses what SQLite accepts
(a NUL character in text, an integer out of range). The walk covers every
storefront page and every API operation as an anonymous caller and as a
signed-in customer, and every admin page as staff (see `tests.hostile`
for where the routes and the corpus come from). Every write carries a
fresh ``Idempotency-Key``, so the endpoints that require one are walked
past that check. A 500 is seen as a response
(``raise_request_exception=False``) and every one is reported,
not just the first.

The split run leaves the walk out (``same_in_split``): what PostgreSQL
refuses, and what the edge and the forms refuse before it, is the same
with one database or one per context; the walk's writes through several
contexts are proven in the split run by their own tests.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from orders.tests.factories import place
from reviews import api as reviews_api
from reviews.dtos import ReviewDraft
from tests import hostile
from tests.builders import offer_product, ten_percent_voucher

pytestmark = [pytest.mark.services, pytest.mark.django_db, pytest.mark.same_in_split]

ADDRESS = {
    "label": "Home",
    "address": {
        "full_name": "Ada Lovelace",
        "line1": "Invalidenstr. 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
    },
    "is_default_shipping": True,
    "is_default_billing": True,
}

#: Form fields of each page as each caller sees it (the same for every test).
_fields_seen: dict[tuple[str, str], tuple[str, ...]] = {}


class Walk:
    """The seeded shop, the callers, and the routes each caller walks."""

    def __init__(self, django_user_model):
        cache.clear()
        offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=50)
        ten_percent_voucher()
        self.customer = django_user_model.objects.create_user(
            "ada@example.com", "ada@example.com", "pw"
        )
        self.staff_user = django_user_model.objects.create_superuser(
            "root", "root@example.com", "pw"
        )
        order = place(customer_id=self.customer.pk)
        product_id = apps.get_model("catalog.Product").objects.get().pk
        review = reviews_api.write_review(
            customer_id=self.customer.pk,
            author_name="Ada",
            product_id=product_id,
            draft=ReviewDraft(rating=5, title="Lovely", body="Would buy again."),
        )
        self.anonymous = Client(raise_request_exception=False)
        self.signed_in = Client(raise_request_exception=False)
        self.signed_in.force_login(self.customer)
        self.staff = Client(raise_request_exception=False)
        self.staff.force_login(self.staff_user)
        for client in (self.anonymous, self.signed_in):
            client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
        address = self._created("/api/v1/accounts/addresses/", ADDRESS)
        cart = self._created("/api/v1/cart/", {})
        payment = self._created(
            f"/api/v1/orders/{order.number}/payments/",
            {"provider": "bank_transfer"},
            HTTP_IDEMPOTENCY_KEY="seed",
        )
        self.values = {
            "slug": "green-tea",
            "sku": "TEA-1",
            "key": "TEA-1",
            "token": cart["token"],
            "number": order.number,
            "payment_id": str(payment["id"]),
            "address_id": str(address["id"]),
            "code": "TENOFF",
            "provider": "sandbox",
            "uidb64": "MQ",
            # The admin's "view on site" link of the product.
            "content_type": str(ContentType.objects.get(app_label="catalog", model="product").pk),
            "pk": str(product_id),
            "product_id": str(product_id),
            "review_id": str(review.id),
            "action": "cancel_line",  # an order's admin action (a form of its own)
            "path": "no-such-page/",  # the admin's catch-all
        }

    def _created(self, path: str, body: dict, **headers) -> dict:
        response = self.signed_in.post(path, body, "application/json", **headers)
        assert response.status_code == 201, response.content
        return response.json()

    def targets(self, turn: int):
        """(caller name, client, target) for every route, the ones that sign out or delete last.

        The storefront and the API are walked by the anonymous caller and the
        customer by turns: each route by one of them in this turn (class),
        by the other in the next.
        """
        callers = ("anonymous", "customer")
        every = hostile.storefront_routes() + hostile.api_routes() + hostile.admin_routes()
        by_turns = [route for route in every if route.kind != "admin"]
        routes = [
            *((callers[(turn + index) % 2], route) for index, route in enumerate(by_turns)),
            *(("staff", route) for route in every if route.kind == "admin"),
        ]
        routes.sort(key=lambda item: _destructive(item[1]))
        clients = {"anonymous": self.anonymous, "customer": self.signed_in, "staff": self.staff}
        for caller, route in routes:
            client = clients[caller]
            if caller != "anonymous" and _destructive(route):  # a previous one may have signed out
                client.force_login(self.customer if caller == "customer" else self.staff_user)
            values = {**self.values, **self._pks(route)}
            if route.template.startswith("/c/"):
                values["slug"] = "tea"
            target = hostile.Target(route, values, self._fields(caller, client, route, values))
            yield caller, client, target

    def _pks(self, route):
        return {
            name: str(getattr(apps.get_model(kind[3:]).objects.first(), "pk", 1))
            for name, kind in route.params.items()
            if kind.startswith("pk:")
        }

    def _fields(self, caller, client, route, values) -> tuple[str, ...]:
        if route.kind == "api":
            return tuple((route.body_schema or {}).get("properties", {}))
        key = (caller, route.template)
        if key not in _fields_seen:
            response = client.get(route.path(values))
            shown = response.status_code == 200 and not response.streaming  # not a CSV export
            html = response.content.decode(errors="replace") if shown else ""
            # A POST-only view (cart/add) shows no form: send the fields such views read.
            _fields_seen[key] = hostile.form_fields(html) or hostile.COMMON_FIELDS
        return _fields_seen[key]


def _destructive(route) -> bool:
    return "DELETE" in route.methods or any(
        word in route.template for word in ("sign-out", "logout", "delete", "remove")
    )


def send(client: Client, probe: hostile.Probe):
    path = probe.path + ("?" + urlencode(probe.query) if probe.query else "")
    if probe.content_type == "multipart":
        body, content_type = encode_multipart(BOUNDARY, probe.body), MULTIPART_CONTENT
    elif probe.content_type in ("urlencoded", "form"):
        body, content_type = urlencode(probe.body), "application/x-www-form-urlencoded"
    else:
        body, content_type = probe.body or "", probe.content_type
    if probe.method == "GET":
        return client.get(path)
    # A fresh key, so the hostile body reaches the view behind an endpoint that
    # requires one (placing, paying, refunding) instead of stopping at "key required".
    return client.generic(
        probe.method, path, body, content_type, HTTP_IDEMPOTENCY_KEY=f"walk-{uuid.uuid4()}"
    )


@pytest.fixture
def walk(postgres, django_user_model):
    return Walk(django_user_model)


@pytest.mark.parametrize(("turn", "name"), list(enumerate(hostile.CLASSES)))
def test_no_hostile_input_yields_a_5xx(walk, turn, name):
    failures = []
    for caller, client, target in walk.targets(turn):
        for probe in hostile.CLASSES[name](target):
            response = send(client, probe)
            if response.status_code >= 500:
                error = response.exc_info[1] if response.exc_info else ""
                failures.append(
                    f"{response.status_code} {caller} {probe.method} {probe.path[:80]!r} "
                    f"{probe.content_type}: {type(error).__name__}: {str(error)[:160]}"
                )
    assert not failures, f"{len(failures)} 5xx:\n" + "\n".join(dict.fromkeys(failures))


def test_every_page_answers_a_head_as_it_answers_a_get(walk):
    """A HEAD is a GET without the body (RFC 9110, 9.3.2): a checker, a crawler or a proxy's
    probe gets the page's status, never a 405 from a view that allowed only GET."""
    differing = []
    for caller, client, target in walk.targets(turn=0):
        if target.route.kind != "page" or _destructive(target.route):
            continue
        get, head = client.get(target.path()), client.head(target.path())
        if head.status_code != get.status_code:
            differing.append(
                f"{caller} {target.path()}: GET {get.status_code}, HEAD {head.status_code}"
            )
    assert not differing, "\n".join(differing)


def test_every_route_answers_an_options_without_a_5xx(walk):
    """An OPTIONS (a CORS preflight, a client asking what a URL allows) gets the route's
    methods or a 4xx, from pages, the API and its documentation alike."""
    failures = []
    for caller, client, target in walk.targets(turn=0):
        response = client.options(target.path())
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {caller} OPTIONS {target.path()}")
    assert not failures, "\n".join(dict.fromkeys(failures))
