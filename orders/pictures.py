"""Pictures beside order lines: on the confirmation, the order pages, the history and e-mails.

An order keeps what was bought (SKU, title, price), not how it looked: the
picture is the catalog's current one, read when the page or e-mail is
made, in one batch call per page whatever the number of lines or orders.
Archived products keep their pictures (``products_by_sku`` includes them);
a SKU the catalog no longer knows gets no picture, and the line shows
without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from catalog import api as catalog_api
from catalog.dtos import Image
from orders.dtos import OrderDetail, OrderPage
from orders.models import OrderLine

HISTORY_PICTURES = 3  # per order in the history; the item count says how many more


def pictures_by_sku(skus: Iterable[str]) -> dict[str, Image]:
    """Each SKU's product picture (first image); SKUs without one are absent."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    products = catalog_api.products_by_sku(skus=wanted)
    return {sku: product.image for sku, product in products.items() if product.image}


def with_pictures(order: OrderDetail) -> OrderDetail:
    """The order with each line's picture."""
    pictures = pictures_by_sku(line.sku for line in order.lines)
    lines = tuple(replace(line, image=pictures.get(line.sku)) for line in order.lines)
    return replace(order, lines=lines)


def history_with_pictures(page: OrderPage) -> OrderPage:
    """A page of the history with the pictures of each order's first lines: two queries more."""
    numbers = [order.number for order in page.items]
    skus_of: dict[str, list[str]] = {number: [] for number in numbers}
    rows = OrderLine.objects.filter(order__number__in=numbers).order_by("order_id", "id")
    for number, sku in rows.values_list("order__number", "sku"):
        skus_of[number].append(sku)
    pictures = pictures_by_sku(sku for skus in skus_of.values() for sku in skus)
    items = tuple(
        replace(order, images=_first_pictures(skus_of[order.number], pictures))
        for order in page.items
    )
    return replace(page, items=items)


def _first_pictures(skus: list[str], pictures: dict[str, Image]) -> tuple[Image, ...]:
    found = {pictures[sku].url: pictures[sku] for sku in skus if sku in pictures}
    return tuple(found.values())[:HISTORY_PICTURES]  # two sizes of one product: one picture
