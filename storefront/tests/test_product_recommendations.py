"""The product page and the product endpoint carry recommendations' rows, priced like
listing cards, in the same number of queries for one suggestion or many; and
lose only that section, fast, when recommendations fails.

Recommendations answers on a worker thread with its own connection
(``call_optional``), which sees only committed data: these tests commit
(``transactional_db``), and the relay runs eagerly after each commit as in
``make run``.
"""

import time

import pytest
from django.test import Client
from knox.models import get_token_model

from kernel.isolation import failure_count
from storefront.rest import ProductOfferView
from tests.builders import bought_together, offer_product

pytestmark = pytest.mark.django_db(transaction=True)


def teas(count: int) -> None:
    for n in range(1, count + 1):
        offer_product(sku=f"TEA-{n}", title=f"Tea {n}", slug=f"tea-{n}", price="10.00", stock=5)


@pytest.fixture
def shop(settings):
    settings.RECOMMENDATIONS_MIN_SUPPORT = 2
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 2  # a loaded test machine is slow; faults set it
    teas(10)
    bought_together("TEA-1", "TEA-7", times=2)


def test_the_page_shows_what_was_bought_together_then_similar_products(client, shop):
    page = client.get("/products/tea-1/").content.decode()
    assert "Customers who bought this also bought" in page
    row = page[page.index("Customers who bought") :]
    assert row.index("Tea 7") < row.index("Tea 2")
    assert row.count('class="product-card"') == 8
    assert "EUR 10.00" in row


def test_recently_viewed_follows_the_visitor_apart_from_the_shared_page(client, shop):
    """The page names where its script asks for the row; each ask counts a view."""
    page = client.get("/products/tea-3/").content.decode()
    assert "Recently viewed" not in page  # the page is the same for every visitor
    assert 'data-recently-viewed="/products/tea-3/viewed/"' in page
    assert client.post("/products/tea-3/viewed/").status_code == 204  # nothing seen before
    client.post("/products/tea-4/viewed/")
    response = client.post("/products/tea-1/viewed/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    recent = response.content.decode()
    assert "Recently viewed" in recent
    assert recent.index("Tea 4") < recent.index("Tea 3")
    assert "Tea 1<" not in recent


def test_recently_viewed_is_posted_from_the_page_itself_only(client, shop):
    cross_site = client.post("/products/tea-3/viewed/", headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    assert client.get("/products/tea-3/viewed/").status_code == 405
    assert client.post("/products/no-such-tea/viewed/").status_code == 404


def test_the_product_endpoint_carries_the_same_rows(client, shop):
    data = client.get("/api/v1/products/TEA-1/").json()
    items = data["recommendations"]["items"]
    assert [(i["reason"], i["product"]["sku"]) for i in items[:1]] == [("bought_together", "TEA-7")]
    assert len(items) == 8
    assert items[0]["product"]["price"] == {"amount": "10.00", "currency": "EUR"}


def test_the_product_endpoint_counts_the_view_of_a_visitor_it_knows_again(client, shop):
    """A first request's id is new: the view counts from the next request that sends it back
    (a client keeping no cookies is never counted, and is served a kept copy)."""
    client.get("/api/v1/products/TEA-3/")  # given an id, not yet counted
    client.get("/api/v1/products/TEA-4/")
    seen = client.get("/api/v1/products/TEA-1/").json()["recommendations"]["recently_viewed"]
    assert [card["product"]["sku"] for card in seen] == ["TEA-4"]
    other = Client().get("/api/v1/products/TEA-1/").json()
    assert other["recommendations"]["recently_viewed"] == []


def test_an_app_keeping_its_cookies_is_answered_the_kept_detail_with_its_own_row(
    shop, monkeypatch, django_assert_max_num_queries
):
    """Only the row is composed for it: the rest is every new visitor's kept answer."""
    newcomers = Client().get("/api/v1/products/TEA-1/").json()  # composed and kept
    app = Client()
    app.get("/api/v1/products/TEA-3/")  # given an id, not yet counted
    app.get("/api/v1/products/TEA-4/")
    composed = []
    monkeypatch.setattr(ProductOfferView, "_offer", lambda *args, **kwargs: composed.append(1))
    # The row's products (catalog), their prices and their stock, on the request's thread.
    with django_assert_max_num_queries(3):
        own = app.get("/api/v1/products/TEA-1/").json()
    assert composed == []
    row = own["recommendations"].pop("recently_viewed")
    assert [card["product"]["sku"] for card in row] == ["TEA-4"]  # TEA-3's gave it its id
    assert newcomers["recommendations"].pop("recently_viewed") == []
    assert own == newcomers


def test_a_signed_in_apps_views_are_its_customers_on_every_device(shop, django_user_model):
    """An app keeping no cookies is known by its token: its views are the customer's, and so
    is the row on the storefront when they sign in there."""
    customer = django_user_model.objects.create_user("ada@example.com", password="x-x-x-x-1")
    _, token = get_token_model().objects.create(user=customer)
    app = {"Authorization": f"Token {token}"}
    Client().get("/api/v1/products/TEA-3/", headers=app)
    seen = Client().get("/api/v1/products/TEA-1/", headers=app).json()["recommendations"]
    assert [card["product"]["sku"] for card in seen["recently_viewed"]] == ["TEA-3"]
    browser = Client()
    browser.force_login(customer)
    assert "Tea 3" in browser.post("/products/tea-5/viewed/").content.decode()


def test_the_page_costs_the_same_queries_for_one_suggestion_or_eight(
    uncached, client, shop, settings, django_assert_max_num_queries
):
    settings.RECOMMENDATIONS_ROW_SIZE = 1
    # Every cache off. On the request's thread: the product, its prices and
    # stock, the header's categories, the suggested products (catalog batch)
    # with their prices and stock. Recommendations' own queries run on its
    # worker thread, a constant count too (recommendations/tests/test_rows.py).
    with django_assert_max_num_queries(20) as one:
        assert client.get("/products/tea-2/").content.decode().count('class="product-card"') == 1
    settings.RECOMMENDATIONS_ROW_SIZE = 8
    with django_assert_max_num_queries(len(one)):
        page = client.get("/products/tea-2/").content.decode()
    assert page.count('class="product-card"') == 8


@pytest.fixture
def fault(settings):
    """Set ``FAULT_INJECTION`` for recommendations; waits out sleeping calls at the end."""
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 0.3

    longest = [0.0]

    def inject(action: str, seconds: float = 0.0) -> None:
        settings.FAULT_INJECTION = {"recommendations": (action, seconds)}
        longest[0] = max(longest[0], seconds)

    yield inject
    # No sleeping call may outlive the test: woken in the next test, it would read (and
    # lock, on SQLite) that test's tables. A fixed second was shorter than a 1.5 s hang.
    time.sleep(longest[0] + 0.5)


def timed_get(client, url: str):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_a_failing_recommendations_costs_the_page_only_its_section(client, shop, fault):
    fault("raise")
    failures = failure_count("recommendations")
    response = client.get("/products/tea-1/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tea 1" in page
    assert "EUR 10.00" in page
    assert 'class="recommendations' not in page
    assert client.get("/api/v1/products/TEA-1/").json()["recommendations"] is None
    assert failure_count("recommendations") == failures + 2


def test_a_hanging_recommendations_costs_at_most_its_budget(client, shop, fault):
    fault("raise")
    _, failing = timed_get(client, "/products/tea-1/")
    # A hang five times the 0.3 s budget, so that a loaded machine's slack (0.8 s) still
    # tells the budget from the hang.
    fault("sleep", 1.5)
    response, hanging = timed_get(client, "/products/tea-1/")
    assert response.status_code == 200
    assert 'class="recommendations' not in response.content.decode()
    assert hanging < failing + 0.3 + 0.8
    response, hanging = timed_get(client, "/api/v1/products/TEA-1/")
    assert response.json()["recommendations"] is None
    assert hanging < failing + 0.3 + 0.8
