"""storefront/listing.py: a facet link is the current URL with one value toggled and no page."""

import pytest
from django.test import RequestFactory

from storefront.listing import FacetLinks, Link, _toggling

factory = RequestFactory()


@pytest.mark.parametrize(
    ("query", "param", "value", "selected", "link"),
    [
        ("q=kettle&page=3", "brand", "acme", False, "?q=kettle&brand=acme"),
        ("brand=acme&q=kettle", "brand", "zeta", False, "?brand=acme&brand=zeta&q=kettle"),
        ("brand=acme&brand=zeta&q=kettle", "brand", "acme", True, "?brand=zeta&q=kettle"),
        ("brand=acme&q=kettle", "brand", "acme", True, "?q=kettle"),
        ("price=0-20&q=tea", "price", "20-50", False, "?price=20-50&q=tea"),
        ("price=0-20&q=tea", "price", "0-20", True, "?q=tea"),
        ("", "in_stock", "1", False, "?in_stock=1"),
        ("in_stock=1", "in_stock", "1", True, "?"),
        ("attr_colour=red&sort=title", "attr_colour", "dark blue", False,
         "?attr_colour=red&attr_colour=dark+blue&sort=title"),
        ("q=caf%C3%A9", "brand", "a&b", False, "?q=caf%C3%A9&brand=a%26b"),
    ],
)  # fmt: skip
def test_a_link_toggles_one_value_and_keeps_the_rest_in_order(query, param, value, selected, link):
    assert _toggling(factory.get(f"/search/?{query}"), param)(value, selected) == link


def test_one_facet_gives_each_value_its_own_link():
    toggled = _toggling(factory.get("/search/?q=kettle&brand=b1"), "brand")
    links = [toggled(f"b{n}", n == 1) for n in range(300)]
    assert links[1] == "?q=kettle"
    assert links[2] == "?q=kettle&brand=b1&brand=b2"
    assert len(set(links)) == 300


def test_a_facets_items_escape_the_merchants_names_and_mark_the_chosen_value():
    facet = FacetLinks(
        "Brand",
        (
            Link("<b>Bold</b> & Co", "?brand=bold&q=tea", selected=True, count=3),
            Link("Plain", "?brand=plain", count=1),
        ),
    )
    assert facet.items == (
        '<li><a href="?brand=bold&amp;q=tea" class="selected" aria-current="true" '
        'rel="nofollow">✓ &lt;b&gt;Bold&lt;/b&gt; &amp; Co</a> <span class="count">3</span></li>\n'
        '<li><a href="?brand=plain"  rel="nofollow">Plain</a> <span class="count">1</span></li>'
    )
