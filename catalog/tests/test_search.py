"""Search: relevance, prefixes, typos and facets, on PostgreSQL and on the SQLite fallback."""

from decimal import Decimal

import pytest

from catalog import api
from catalog.dtos import AttributeFilter, ListingQuery, Sort
from catalog.tests.test_projection import project_price, project_stock
from tests.builders import attrs, product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture
def shop():
    upsert(
        product("ESP-1", "Espresso Beans", category="kitchen", description="Dark roast."),
        product("FIL-1", "Filter Roast", category="kitchen", description="For espresso lovers."),
        product("PAN-1", "Copper Pan", category="pans", brand="Coppercraft"),
        sweater(),
        sweater(sku="SH-1", title="Linen Shirt", brand="Shirtmakers",
                attributes=attrs(material="Linen")),
    )  # fmt: skip


def titles(q: str = "", **filters) -> list[str]:
    result = api.listing(query=ListingQuery(q=q, **filters))
    return [item.title for item in result.page.items]


def test_title_matches_rank_above_description_matches(shop):
    assert titles("espresso") == ["Espresso Beans", "Filter Roast"]


def test_words_match_as_prefixes(shop):
    assert titles("espr") == ["Espresso Beans", "Filter Roast"]
    assert titles("copp") == ["Copper Pan"]


def test_typos_still_find_the_product(shop):
    assert "Espresso Beans" in titles("expresso")
    assert titles("swaeter") == ["Wool Sweater"]


def test_brand_attribute_and_option_values_are_searchable(shop):
    assert titles("coppercraft") == ["Copper Pan"]
    assert titles("linen") == ["Linen Shirt"]
    assert set(titles("wool")) == {"Wool Sweater"}


def test_a_product_or_variant_code_finds_its_product(shop):
    """As a shopper copies it from a page or a receipt: PostgreSQL's parser would read
    "ESP-1" as "esp" and "-1", which the typed words never match."""
    # Its product first; words match as prefixes, so "esp" finds espresso lovers too.
    assert titles("ESP-1")[0] == "Espresso Beans"
    assert titles("pan-1") == ["Copper Pan"]
    assert titles("SW-1-M")[0] == "Wool Sweater"


def test_every_word_must_match(shop):
    assert titles("copper shirt") == []


def test_facets_count_the_current_results(shop):
    result = api.listing(query=ListingQuery(q="shirt"))
    facets = {facet.param: facet for facet in result.facets}
    assert [(v.value, v.count) for v in facets["brand"].values] == [("shirtmakers", 1)]
    result = api.listing(query=ListingQuery(category="clothing"))
    facets = {facet.param: facet for facet in result.facets}
    assert [(v.label, v.count) for v in facets["attr_material"].values] == [
        ("Linen", 1),
        ("Wool", 1),
    ]
    assert [(v.label, v.count) for v in facets["attr_size"].values] == [
        ("L", 2),
        ("M", 2),
        ("S", 2),
    ]


def test_a_selected_facet_still_counts_its_alternatives(shop):
    result = api.listing(query=ListingQuery(category="clothing", brands=("shirtmakers",)))
    assert [item.title for item in result.page.items] == ["Linen Shirt"]
    brand = next(f for f in result.facets if f.param == "brand")
    assert [(v.value, v.count, v.selected) for v in brand.values] == [
        ("northwool", 1, False),
        ("shirtmakers", 1, True),
    ]
    material = next(f for f in result.facets if f.param == "attr_material")
    assert [(v.label, v.count) for v in material.values] == [("Linen", 1)]


def test_price_and_stock_facets_and_price_sort_come_from_the_projection(shop):
    project_price("ESP-1", "8.50")
    project_price("FIL-1", "30.00")
    project_price("PAN-1", "120.00")
    project_stock("PAN-1", 3)
    project_stock("ESP-1", 0)
    result = api.listing(query=ListingQuery(category="kitchen"))
    facets = {facet.param: facet for facet in result.facets}
    assert [(v.value, v.count) for v in facets["price"].values] == [
        ("0-10", 1),
        ("25-50", 1),
        ("100-250", 1),
    ]
    assert [(v.value, v.count) for v in facets["in_stock"].values] == [("1", 1)]
    assert titles(category="kitchen", in_stock=True) == ["Copper Pan"]
    assert titles(category="kitchen", price_min=Decimal(25), price_max=Decimal(50)) == [
        "Filter Roast"
    ]
    assert titles(category="kitchen", sort=Sort.PRICE_DESC) == [
        "Copper Pan",
        "Filter Roast",
        "Espresso Beans",
    ]


def test_attribute_filters_match_product_attributes_and_variant_options(shop):
    assert titles(attributes=(AttributeFilter("material", ("linen",)),)) == ["Linen Shirt"]
    assert set(titles(attributes=(AttributeFilter("size", ("m",)),))) == {
        "Wool Sweater",
        "Linen Shirt",
    }
    assert titles(attributes=(AttributeFilter("colour", ("blue",)),)) == []


@pytest.mark.parametrize("q", ["🎉", "!!!", "\u2013"])
def test_a_search_without_a_word_finds_nothing(shop, q):
    assert titles(q) == []


def test_stop_words_do_not_empty_the_results(shop):
    assert titles("the copper pan") == ["Copper Pan"]


def test_yes_no_attributes_are_facets_and_filters(shop):
    result = api.listing(query=ListingQuery(category="clothing"))
    organic = next(f for f in result.facets if f.param == "attr_organic")
    assert [(v.value, v.label, v.count) for v in organic.values] == [("yes", "Yes", 1)]
    assert titles(attributes=(AttributeFilter("organic", ("yes",)),)) == ["Wool Sweater"]
    assert titles(attributes=(AttributeFilter("organic", ("no",)),)) == []
