"""Found and shared: sitemap, robots.txt, favicon, canonical and Open Graph tags, JSON-LD."""

import json
import re

import pytest

from tests.builders import priced, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture
def priced_sweater():
    upsert(sweater(slug="wool-sweater"))
    for sku, amount, quantity in [
        ("SW-1-S", "40.00", 0),
        ("SW-1-M", "42.00", 9),
        ("SW-1-L", "44.00", 2),
    ]:
        priced(sku, amount, quantity)  # fmt: skip


def test_the_sitemap_lists_products_and_categories_and_is_cached(
    client, priced_sweater, django_assert_max_num_queries
):
    body = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", body)
    assert "http://testserver/products/wool-sweater/" in locations
    assert {"http://testserver/c/kitchen/", "http://testserver/c/pans/"} <= set(locations)
    assert "http://testserver/de/products/wool-sweater/" in locations  # German too
    assert (
        '<xhtml:link rel="alternate" hreflang="de" href="http://testserver/de/c/kitchen/"/>' in body
    )
    with django_assert_max_num_queries(0):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_points_to_the_sitemap_and_keeps_private_pages_out(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /checkout/" in body
    assert "Disallow: /account/" in body
    assert "Disallow: /de/checkout/" in body


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_the_product_page_has_product_json_ld_with_an_offer_per_variant(client, priced_sweater):
    page = client.get("/products/wool-sweater/?variant=SW-1-L").content.decode()
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(raw)
    assert data["@type"] == "Product"
    assert data["name"] == "Wool Sweater"
    assert data["brand"] == {"@type": "Brand", "name": "Northwool"}
    offers = {offer["sku"]: offer for offer in data["offers"]}
    assert offers["SW-1-M"]["price"] == "42.00"
    assert offers["SW-1-M"]["priceCurrency"] == "EUR"
    assert offers["SW-1-M"]["availability"] == "https://schema.org/InStock"
    assert offers["SW-1-S"]["availability"] == "https://schema.org/OutOfStock"
    assert offers["SW-1-L"]["availability"] == "https://schema.org/LimitedAvailability"
    assert '<link rel="canonical" href="http://testserver/products/wool-sweater/">' in page
    assert '<meta property="og:title" content="Wool Sweater">' in page
    assert '<meta property="og:type" content="product">' in page
    assert '<meta name="description" content="A warm jumper for cold days.">' in page


def test_json_ld_cannot_end_its_script_element(client, structure):
    upsert(sweater(slug="sly", title="</script><script>alert(1)</script>"))
    priced("SW-1-M", "42.00", 9)
    page = client.get("/products/sly/").content.decode()
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(raw)["name"] == "</script><script>alert(1)</script>"
