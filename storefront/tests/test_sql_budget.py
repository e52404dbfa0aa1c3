"""What a page costs in SQL: the surge budget of docs/performance.md.

At most 6 queries for the product page and the product endpoint, 8 for a
listing of 24 products with facets, with every cache off ("cold"); at most 2
once the caches are warm. Suggested products add one batch each for their
cards (catalog, prices, stock): 3 more on a product page with suggestions.
Counted outside a test transaction, as a server runs: inside one, every
optional call's savepoint would count too. Each test walks all its pages
over one shop, cold in one test and warm in the other: building the shop
is most of what these tests cost.
"""

import pytest
from django.db import connection

from kernel import relay
from tests.builders import priced, sweater, upsert

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("structure", "shop"),
]

PRODUCT_PAGES = ["/products/wool-sweater-0/", "/api/v1/products/SW-0/"]
LISTINGS = ["/", "/c/clothing/", "/search/?q=wool"]


@pytest.fixture
def shop():
    for n in range(24):
        upsert(sweater(sku=f"SW-{n}", slug=f"wool-sweater-{n}"))
        for size in ("S", "M", "L"):
            priced(f"SW-{n}-{size}", f"{40 + n}.00", n % 4)
    relay.relay(dispatch=relay.deliver_due)


@pytest.mark.usefixtures("uncached")
def test_a_page_costs_at_most_6_queries_cold_and_a_listing_8(
    client, settings, django_assert_max_num_queries
):
    for url in PRODUCT_PAGES:
        settings.FAULT_INJECTION = {"recommendations": ("raise", 0)}  # no suggestions
        with django_assert_max_num_queries(6, info=url):
            assert client.get(url).status_code == 200
        settings.FAULT_INJECTION = {}
        with django_assert_max_num_queries(6 + 3, info=f"{url} with suggestions"):
            page = client.get(url).content
        assert b"wool-sweater-" in page.replace(b"wool-sweater-0", b""), url  # a suggestion
    for url in LISTINGS:
        # The SQLite fallback of search looks each word up first (catalog/search.py).
        extra = 1 if url.startswith("/search/") and connection.vendor == "sqlite" else 0
        with django_assert_max_num_queries(8 + extra, info=url):
            page = client.get(url).content.decode()
        assert page.count('class="product-card"') == 24, url


def test_a_warm_page_costs_at_most_2_queries_anonymous_or_signed_in(
    client, django_user_model, django_assert_max_num_queries
):
    """Signed in, the session and the customer's pricing groups are cached too: the user is
    read."""
    for signed_in in (False, True):
        if signed_in:
            client.force_login(django_user_model.objects.create_user("ada", "ada@e.com", "pw"))
        for url in [*PRODUCT_PAGES, *LISTINGS]:
            client.get(url)
            with django_assert_max_num_queries(2, info=f"{url}, signed in: {signed_in}"):
                assert client.get(url).status_code == 200, url
