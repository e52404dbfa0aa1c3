"""A product's offer as a manager reads it: each variant's prices and stock, in one panel.

The catalog owns the product page in the admin but sits below pricing and
inventory, so it may not ask them; the back office may. Its template for
the product's change page (``admin/catalog/product/change_form.html``, found
before catalog's own because the back office comes first in INSTALLED_APPS)
adds this panel under the form, with links to edit the prices and stock in
their own admin. A fixed number of queries whatever the number of variants.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from catalog import api as catalog_api
from inventory import api as inventory_api
from kernel.display import money_display
from pricing import api as pricing_api


@dataclass(frozen=True, slots=True)
class VariantOffer:
    sku: str
    label: str
    prices: tuple[tuple[str, str, str], ...]  # (currency, price, compare-at)
    stock: tuple[tuple[str, int, int], ...]  # (warehouse, on hand, available)
    prices_url: str
    stock_url: str


def _list(name: str, sku: str) -> str:
    return f"{reverse(name)}?{urlencode({'q': sku})}"


def variant_offers(*, product_id: int, user) -> list[VariantOffer] | None:
    """The variants' prices and stock, each shown only to staff who may view it."""
    product = catalog_api.product_by_id(product_id=product_id, include_unpublished=True)
    if product is None:
        return None
    skus = list(product.variant_skus) or [product.sku]
    see_prices = user.has_perm("pricing.view_price")
    see_stock = user.has_perm("inventory.view_stock")
    prices, stock = {}, {}
    for price in pricing_api.base_prices(skus=skus) if see_prices else ():
        prices.setdefault(price.sku, []).append(
            (price.price.currency, money_display(price.price), money_display(price.compare_at))
        )
    for level in inventory_api.stock_levels(skus=skus) if see_stock else ():
        stock.setdefault(level.sku, []).append((level.warehouse, level.on_hand, level.available))
    labels = {variant.sku: variant.name or _options(variant) for variant in product.variants}
    return [
        VariantOffer(
            sku=sku,
            label=labels.get(sku, ""),
            prices=tuple(prices.get(sku, ())),
            stock=tuple(stock.get(sku, ())),
            prices_url=_list("admin:pricing_price_changelist", sku) if see_prices else "",
            stock_url=_list("admin:inventory_stock_changelist", sku) if see_stock else "",
        )
        for sku in skus
    ]


def _options(variant) -> str:
    return " / ".join(option.value for option in variant.options)
