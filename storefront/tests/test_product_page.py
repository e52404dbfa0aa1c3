"""The product page and the composed product endpoint, with variants."""

from decimal import Decimal

import pytest

from kernel import relay
from kernel.money import Money
from kernel.tests.scrape import in_process
from pricing import api as pricing_api
from tests.builders import priced, product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture
def priced_sweater():
    upsert(sweater(slug="wool-sweater"))
    offers = [("SW-1-S", "40.00", 0), ("SW-1-M", "42.00", 9), ("SW-1-L", "44.00", 2)]
    for sku, amount, quantity in offers:
        priced(sku, amount, quantity)


def test_the_page_offers_each_variant_with_its_price_and_stock(client, priced_sweater):
    page = client.get("/products/wool-sweater/").content.decode()
    assert "SKU SW-1-M" in page  # the first variant that can be bought is chosen
    assert 'value="SW-1-S"' in page
    assert "EUR 40.00" in page
    assert "out of stock" in page
    assert "only 2 left" in page
    assert '<a href="/c/clothing/">Clothing</a>' in page


def test_a_variant_is_chosen_by_sku_in_the_url(client, priced_sweater):
    page = client.get("/products/wool-sweater/?sku=SW-1-L").content.decode()
    assert "SKU SW-1-L" in page


def test_an_old_slug_redirects_permanently_to_the_canonical_url(client, priced_sweater):
    upsert(sweater(slug="merino-sweater"))
    response = client.get("/products/wool-sweater/")
    assert response.status_code == 301
    assert response["Location"] == "/products/merino-sweater/"


def test_drafts_and_unknown_products_are_404(client):
    upsert(product("D-1", "Draft", slug="draft", status="draft"))
    assert client.get("/products/draft/").status_code == 404
    assert client.get("/products/nope/").status_code == 404


@pytest.mark.parametrize("sku", ["SW-1", "SW-1-M"])
def test_the_product_endpoint_takes_the_code_or_a_variant_sku(client, priced_sweater, sku):
    data = client.get(f"/api/v1/products/{sku}/").json()
    assert data["sku"] == "SW-1"
    assert data["price"] == {"amount": "40.00", "currency": "EUR"}
    assert data["price_varies"] is True
    assert [(v["sku"], v["purchasable"]) for v in data["variants"]] == [
        ("SW-1-S", False),
        ("SW-1-M", True),
        ("SW-1-L", True),
    ]
    assert client.get("/api/v1/products/NOPE/").status_code == 404


def test_a_price_change_reaches_the_cached_product_page(client, priced_sweater):
    assert "EUR 42.00" in client.get("/products/wool-sweater/").content.decode()
    pricing_api.set_price(sku="SW-1-M", price=Money(Decimal("39.00"), "EUR"))
    relay.relay(dispatch=relay.deliver_due)
    assert "EUR 39.00" in client.get("/products/wool-sweater/").content.decode()


def test_search_api_returns_priced_results_and_facets(client, priced_sweater):
    data = client.get("/api/v1/search/", {"q": "swea"}).json()
    assert data["count"] == 1
    (card,) = data["results"]
    assert (card["sku"], card["price"]["amount"], card["purchasable"]) == ("SW-1", "40.00", True)
    assert {facet["param"] for facet in data["facets"]} >= {"brand", "attr_size"}


def test_search_api_rejects_bad_parameters_naming_them(client):
    response = client.get("/api/v1/search/", {"q": "x", "in_stock": "maybe", "sort": "best"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"in_stock", "sort"}


def test_a_warm_page_reads_only_prices_and_stock_and_follows_product_edits(
    client, priced_sweater, django_assert_max_num_queries
):
    client.get("/products/wool-sweater/")  # warms the cache
    # Prices (and running experiments, for the visitor id), the running
    # promotions, stock, the header's categories; and a savepoint around each
    # optional call, as tests run in a transaction. No catalog product query.
    with django_assert_max_num_queries(9):
        assert client.get("/products/wool-sweater/").status_code == 200
    upsert(sweater(slug="wool-sweater", title="Merino Sweater"))
    relay.relay(dispatch=relay.deliver_due)
    assert "Merino Sweater" in client.get("/products/wool-sweater/").content.decode()


def test_each_context_counts_the_hits_and_misses_of_its_cache(client, priced_sweater, settings):
    """The cache hit ratio per context on the dashboard: a second view is served from them,
    or whole from the gateway's page cache."""
    kinds = ("catalog:product", "pricing:prices", "inventory:sku", "storefront:product")
    lookups = "commerce_cache_lookup_total"
    first = in_process()
    client.get("/products/wool-sweater/")
    second = in_process()
    client.get("/products/wool-sweater/")
    third = in_process()
    settings.STOREFRONT_PAGE_CACHE_SECONDS = 0
    client.get("/products/wool-sweater/")
    fourth = in_process()
    assert second.delta(first, lookups, cache="storefront:page", result="miss") == 1
    assert third.delta(second, lookups, cache="storefront:page", result="hit") == 1
    for kind in kinds:
        assert second.delta(first, lookups, cache=kind, result="miss") >= 1, kind
        assert third.delta(second, lookups, cache=kind, result="hit") == 0, kind  # the page's
        assert fourth.delta(third, lookups, cache=kind, result="miss") == 0, kind
        assert fourth.delta(third, lookups, cache=kind, result="hit") >= 1, kind
