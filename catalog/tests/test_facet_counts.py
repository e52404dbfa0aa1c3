"""Facet counts, whatever is selected: each is what the listing shows once it is chosen.

"Counted under every selected filter but its own" means: a value's count
is the total of the same listing with that value chosen instead of what is
chosen in its facet (for a category, the listing of that child category).
Checked for every value of every facet, over a shop where products sit in
secondary categories, have variants, yes/no attributes, prices, stock and
ratings, and for listings with several filters selected at once.
"""

import dataclasses
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import api, handlers
from catalog.dtos import AttributeFilter, ListingQuery, Sort, VariantInput
from catalog.tests.test_projection import project_price, project_stock
from reviews.events import RatingChanged
from tests.builders import attrs, opts, product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


def variants(sku: str, *pairs: tuple[str, str]) -> tuple[VariantInput, ...]:
    return tuple(
        VariantInput(sku=f"{sku}-{size}{colour}", options=opts(size=size, colour=colour))
        for size, colour in pairs
    )


@pytest.fixture
def shop():
    upsert(
        sweater(),
        sweater(sku="SW-2", title="Blue Wool Sweater", brand="Shirtmakers",
                variants=variants("SW-2", ("M", "Blue"), ("L", "Blue"))),
        sweater(sku="SH-1", title="Linen Shirt", brand="Shirtmakers", secondary_categories=(),
                attributes=attrs(material="Linen", organic="no"),
                variants=variants("SH-1", ("S", "Red"), ("M", "Blue"))),
        sweater(sku="SH-2", title="Cotton Shirt", category="gifts", secondary_categories=(),
                attributes=attrs(material="Cotton")),
        product("PAN-1", "Copper Pan", category="pans", brand="Coppercraft",
                secondary_categories=("gifts",)),
        product("KET-1", "Copper Kettle", category="kitchen", brand="Coppercraft"),
        product("MUG-1", "Wool Felt Mug", category="kitchen", secondary_categories=("pans",)),
    )  # fmt: skip
    for sku, amount in [("SW-1-M", "45.00"), ("SW-2-MBlue", "60.00"), ("SH-1-SRed", "20.00"),
                        ("PAN-1", "30.00"), ("KET-1", "8.00"), ("MUG-1", "250.00")]:  # fmt: skip
        project_price(sku, amount)
    for sku in ("SW-1-S", "SH-1-MBlue", "KET-1", "MUG-1"):
        project_stock(sku, 3)
    found = api.products_by_sku(skus=["SW-1", "SH-1", "PAN-1", "KET-1"])
    for sku, average in [("SW-1", "4.50"), ("SH-1", "3.20"), ("PAN-1", "2.00"), ("KET-1", "4.00")]:
        handlers.on_rating_changed(
            RatingChanged(product_id=found[sku].id, product_sku=sku, average=Decimal(average),
                          count=2, histogram=(0, 0, 0, 0, 2), changed_at=timezone.now())
        )  # fmt: skip


def chosen(query: ListingQuery, param: str, value: str) -> ListingQuery:
    """``query`` with ``value`` chosen in facet ``param`` instead of what is chosen there."""
    if param == "category":
        return dataclasses.replace(query, category=value)
    if param == "brand":
        return dataclasses.replace(query, brands=(value,))
    if param == "price":
        low, high = value.split("-")
        return dataclasses.replace(
            query, price_min=Decimal(low), price_max=Decimal(high) if high else None
        )
    if param == "in_stock":
        return dataclasses.replace(query, in_stock=True)
    if param == "rating":
        return dataclasses.replace(query, rating_min=int(value))
    code = param.removeprefix("attr_")
    others = tuple(wanted for wanted in query.attributes if wanted.code != code)
    return dataclasses.replace(query, attributes=(*others, AttributeFilter(code, (value,))))


def total_of(query: ListingQuery) -> int:
    """The listing's total as the ORM counts it, without the facets' query."""
    return api.listing(query=query, with_facets=False).page.total


QUERIES = [
    ListingQuery(),
    ListingQuery(q="wool"),
    ListingQuery(category="kitchen"),
    ListingQuery(category="clothing", brands=("shirtmakers",)),
    ListingQuery(attributes=(AttributeFilter("size", ("m",)), AttributeFilter("colour", ("red",)))),
    ListingQuery(brands=("northwool", "coppercraft"), price_min=Decimal(25), price_max=Decimal(50),
                 in_stock=True),
    ListingQuery(rating_min=3, attributes=(AttributeFilter("organic", ("yes",)),)),
    ListingQuery(q="copper", in_stock=True, rating_min=4),
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_every_count_is_the_total_once_its_value_is_chosen(shop, query):
    result = api.listing(query=query, with_facets=True)
    assert result.page.total == total_of(query)
    for facet in result.facets:
        for value in facet.values:
            total = total_of(chosen(query, facet.param, value.value))
            assert (facet.param, value.value, value.count) == (facet.param, value.value, total)
            assert type(value.count) is int, (facet.param, value.count)


def test_the_counts_shown_for_a_shop(shop):
    """The same counts, spelt out once, so that a count missing from the facets shows too."""
    result = api.listing(query=ListingQuery(), with_facets=True)
    counts = {f.param: [(v.value, v.count) for v in f.values] for f in result.facets}
    assert counts == {
        "category": [("clothing", 3), ("gifts", 4), ("kitchen", 3)],
        "brand": [("coppercraft", 2), ("northwool", 2), ("shirtmakers", 2)],
        "attr_colour": [("blue", 2), ("red", 3)],
        "attr_material": [("cotton", 1), ("linen", 1), ("wool", 2)],
        "attr_organic": [("no", 1), ("yes", 2)],
        "attr_size": [("l", 3), ("m", 4), ("s", 3)],
        "price": [("0-10", 1), ("10-25", 1), ("25-50", 2), ("50-100", 1), ("250-", 1)],
        "in_stock": [("1", 4)],
        "rating": [("4", 2), ("3", 3), ("2", 4), ("1", 4)],
    }


@pytest.mark.parametrize("sort", list(Sort))
def test_the_page_picked_with_the_facets_is_the_page_the_listing_orders(shop, sort):
    """The facets' query picks the page's products in the sort's order (ties by id, prices
    and ratings missing last); a page number out of range shows the last page."""
    for q, page in [("", 1), ("", 2), ("", 4), ("", 9), ("wool", 1), ("copper", 2)]:
        query = ListingQuery(q=q, sort=sort, page=page, per_page=2)
        picked = api.listing(query=query, with_facets=True)
        ordered = api.listing(query=query, with_facets=False)
        assert picked.page == ordered.page, (q, page)
