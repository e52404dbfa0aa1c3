"""Home, category and search pages: filters in the URL, sorting, 404s, query counts."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from kernel import relay
from kernel.money import Money
from kernel.tests.queries import captured_queries
from pricing import api as pricing_api
from pricing.dtos import ExperimentSpec, SkuPrice, VariantSpec
from tests.builders import attrs, priced, product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


def relay_now() -> None:
    """What happens after commit (tests run inside one transaction that never commits)."""
    relay.relay(dispatch=relay.deliver_due)


@pytest.fixture
def many_products():
    upsert(
        *(
            sweater(sku=f"SW-{i:03d}", title=f"Sweater {i}", brand=f"Brand {i % 4}")
            for i in range(100)
        )
    )
    for i in range(0, 100, 7):
        priced(f"SW-{i:03d}-M", "30.00")


@pytest.mark.parametrize("url", ["/", "/c/clothing/", "/search/?q=sweater"])
def test_query_count_does_not_grow_with_the_page_size(uncached, client, many_products, url):
    counts = []
    for per_page in (12, 24, 96):
        with captured_queries() as queries:
            response = client.get(url, {"per_page": per_page} | _q(url))
        assert response.status_code == 200
        assert response.content.count(b'class="product-card"') == per_page
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def _q(url: str) -> dict:
    return {"q": "sweater"} if "q=" in url else {}


def test_unknown_category_is_a_404_page(client):
    response = client.get("/c/nowhere/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_a_renamed_category_redirects_keeping_filters(client, admin_client):
    change_url = admin_category_url(admin_client, "clothing")
    response = admin_client.post(change_url, {"name": "Clothing", "slug": "apparel", "position": 0})
    assert response.status_code == 302
    response = client.get("/c/clothing/?brand=northwool")
    assert response.status_code == 301
    assert response["Location"] == "/c/apparel/?brand=northwool"


def admin_category_url(admin_client, slug: str) -> str:
    """The admin change page of category ``slug``, found through the admin's search."""
    changelist = admin_client.get("/admin/catalog/category/", {"q": slug}).content.decode()
    match = re.search(r'href="(/admin/catalog/category/\d+/change/)[^"]*"', changelist)
    return match.group(1)


def test_invalid_filters_and_sort_are_ignored_on_the_storefront(client):
    upsert(sweater())
    response = client.get(
        "/c/clothing/", {"sort": "cheapest", "price": "abc", "per_page": "7", "attr_x": "1"}
    )
    assert response.status_code == 200
    assert b"Wool Sweater" in response.content


def test_category_page_has_breadcrumbs_and_includes_subcategories(client):
    upsert(product("PAN-1", "Copper Pan", category="pans"))
    response = client.get("/c/kitchen/")
    assert b"Copper Pan" in response.content
    response = client.get("/c/pans/")
    assert b'<a href="/c/kitchen/">Kitchen</a>' in response.content


def test_secondary_categories_list_the_product_too(client):
    upsert(sweater())
    assert b"Wool Sweater" in client.get("/c/gifts/").content


def test_facet_links_filter_and_combine_in_the_url(client):
    upsert(
        sweater(),
        sweater(sku="SW-2", title="Linen Shirt", brand="Shirtmakers",
                attributes=attrs(material="Linen")),
    )  # fmt: skip
    page = client.get("/c/clothing/").content.decode()
    assert 'href="?brand=shirtmakers"' in page
    filtered = client.get("/c/clothing/?brand=shirtmakers").content.decode()
    assert "Linen Shirt" in filtered
    assert "Wool Sweater" not in filtered
    assert 'href="?brand=shirtmakers&amp;attr_material=linen"' in filtered
    none = client.get("/c/clothing/?brand=shirtmakers&attr_material=wool").content.decode()
    assert "No products match" in none
    assert "Clear all filters" in none


def test_sort_by_price_uses_the_search_projection(client):
    upsert(
        product("A-1", "Alpha", category="kitchen"),
        product("B-1", "Beta", category="kitchen"),
        product("C-1", "Gamma", category="kitchen"),
    )
    priced("A-1", "20.00")
    priced("B-1", "5.00")
    priced("C-1", "12.50")
    relay_now()
    page = client.get("/c/kitchen/?sort=price_asc").content.decode()
    assert page.index("Beta") < page.index("Gamma") < page.index("Alpha")
    page = client.get("/c/kitchen/?sort=price_desc").content.decode()
    assert page.index("Alpha") < page.index("Gamma") < page.index("Beta")


def test_cards_show_the_lowest_variant_price_from_pricing(client):
    upsert(sweater())
    priced("SW-1-S", "40.00")
    priced("SW-1-M", "35.00")
    page = client.get("/c/clothing/").content.decode()
    assert '<span class="from">from</span> EUR 35.00' in page


def test_search_page_corrects_a_typo_or_ranks_fuzzy_matches(client):
    upsert(sweater(), product("MUG-1", "Espresso Cup", category="kitchen"))
    page = client.get("/search/?q=espreso").content.decode()
    assert "Espresso Cup" in page
    assert "Wool Sweater" not in page


def test_an_overlong_search_searches_what_fits_not_every_product(client):
    upsert(sweater(), product("MUG-1", "Espresso Cup", category="kitchen"))
    page = client.get("/search/", {"q": "espresso " + "x" * 300}).content.decode()
    assert "Wool Sweater" not in page  # not every product, as if nothing had been typed
    assert client.get("/api/v1/search/", {"q": "x" * 201}).status_code == 400


def test_empty_search_helps(client):
    upsert(sweater())
    page = client.get("/search/?q=zzzzqqq").content.decode()
    assert "No products match" in page
    assert "Check the spelling" in page
    assert 'href="/c/clothing/"' in page


def test_home_lists_variants_products_once(client):
    upsert(sweater())
    page = client.get("/").content.decode()
    assert page.count('class="product-card"') == 1


def test_subcategory_links_keep_the_other_filters(client):
    upsert(product("PAN-1", "Copper Pan", category="pans", brand="Coppercraft"))
    page = client.get("/c/kitchen/?brand=coppercraft&page=1").content.decode()
    assert 'href="/c/pans/?brand=coppercraft"' in page
    assert 'href="/c/pans/"' in client.get("/c/kitchen/").content.decode()


@pytest.mark.parametrize("shopper", ["group customer", "visitor in an experiment"])
def test_shopper_specific_prices_cost_the_same_queries_for_any_page_size(
    uncached, client, many_products, django_user_model, shopper
):
    relay_now()  # pricing learns the products' categories (experiment targeting)
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="sweaters",
            name="Sweaters",
            variants=(VariantSpec(key="minus-5", weight=1, rule="percent", percent=Decimal(-5)),),
            category_slug="clothing",
        ),
        running=True,
    )
    pricing_api.upsert_price_list(
        name="Trade",
        customer_group="wholesale",
        prices=[SkuPrice("SW-000-M", Money(Decimal(20), "EUR"))],
    )
    if shopper == "group customer":
        buyer = django_user_model.objects.create_user("trade", password="x")
        buyer.groups.add(Group.objects.create(name="wholesale"))
        client.force_login(buyer)
    client.get("/")  # sets the visitor id cookie
    counts = []
    for per_page in (12, 24, 96):
        with captured_queries() as queries:
            response = client.get("/c/clothing/", {"per_page": per_page, "sort": "title"})
        page = response.content.decode()
        assert page.count('class="product-card"') == per_page
        # Sweater 0 first: its medium costs the group 20.00, the experiment 28.50.
        assert ("EUR 20.00" if shopper == "group customer" else "EUR 28.50") in page
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
