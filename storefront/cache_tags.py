"""What a shared page shows, as tags the HTTP cache in front can ban it by.

A shareable page (http_cache.py) names what it shows in the
``X-Cache-Tags`` response header, space-separated; Varnish stores the page
with the header (one copy per price segment) and strips it from what
shoppers get (docs/varnish/storefront.vcl). When something changes, the
storefront's subscribers (handlers.py) ban the tags of the change, and
every stored copy naming one of them is dropped, in every segment at once
(ADR 0019). This module is the one vocabulary both sides use:

- ``p:<product id>``: a product whose card (price, stock, title, picture)
  the page shows: listing cards and the home page's shelves. A product id,
  not its SKUs: a card stands for every variant, and the header stays
  short (about 8 bytes a card, 96 cards at most per listing page);
- ``c:<category slug>``: a category's pages, all their filters, sorts and
  pages, which a product joining or leaving the category changes;
- ``home`` and ``search``: the home page and every search page, which a
  product becoming visible (or withdrawn) may enter (or leave);
- ``shop``: every shareable page (a promotion can change prices anywhere).

What no tag covers waits for the copy's ``s-maxage`` (60 s): the stars on
cards, facet counts and the order of price- or rating-sorted pages (they
come from the catalog's projections, which their own deliveries update,
perhaps after the ban), a page whose membership changes for another reason
(a sort, a pagination shift), the categories in the layout's header.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from catalog import api as catalog_api
from catalog.events import ProductArchived, ProductChanged, ProductPublished

HEADER = "X-Cache-Tags"
EVERY_PAGE = "shop"
HOME = "home"
SEARCH = "search"


def product(product_id: int) -> str:
    return f"p:{product_id}"


def category(slug: str) -> str:
    """A category's tag: percent-encoded, so a tag never holds a space or a regex's syntax."""
    return f"c:{quote(slug, safe='').replace('.', '%2E')}"


def tag(response, tags: Iterable[str]):
    """Name ``tags`` on ``response`` (once each, after the tag of every page); returns it.

    Only a shared copy keeps them: http_cache.py drops the header from a
    private page, and the cache in front from what it delivers.
    """
    response[HEADER] = " ".join(dict.fromkeys([EVERY_PAGE, *tags]))
    return response


def of_offers(*offer_groups) -> list[str]:
    """The product tags of the cards shown: each argument a sequence of ``ProductOffer``."""
    return [product(offer.product.id) for offers in offer_groups for offer in offers]


def of_catalog_change(event: ProductChanged | ProductPublished | ProductArchived) -> list[str]:
    """A product's information changed: the pages showing it and its categories' pages
    (it may have joined one). Published or withdrawn, it also enters or leaves the
    home page's listing and searches."""
    tags = [product(event.product_id), *map(category, event.category_slugs)]
    if isinstance(event, ProductPublished | ProductArchived):
        tags += [HOME, SEARCH]
    return tags


def of_skus(skus: Iterable[str]) -> list[str]:
    """The tags of the products selling ``skus`` (variant SKUs or products' own codes),
    read from the catalog in one batch; a SKU no product sells has none."""
    found = catalog_api.products_by_sku(skus=list(skus))
    return sorted({product(summary.id) for summary in found.values()})
