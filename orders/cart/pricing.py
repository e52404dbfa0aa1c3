"""What a cart costs now: a fresh ``pricing.api.quote``, never a stored price.

Every quote of a cart passes the same ``QuoteContext.visitor_id`` (the
cart's, from the visitor cookie or the app) and the same customer, so an
experiment's price holds from the product page to the placed order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog import api as catalog_api
from catalog.dtos import Image, ProductSummary
from kernel.money import Money
from orders.dtos import CartNotice
from orders.models import Cart, CartLine
from pricing import api as pricing_api
from pricing.dtos import (
    AppliedDiscount,
    BasketLine,
    Quote,
    QuoteContext,
    Shopper,
    UnknownSku,
    VoucherRejected,
)


def shopper_of(user) -> Shopper:
    """The cart's shopper: the signed-in customer with their groups, or a guest.

    No visitor id: the cart quotes with its own (``context_of``).
    """
    return pricing_api.shopper(customer_id=user.pk if user.is_authenticated else None)


def context_of(cart: Cart, *, country: str | None = None) -> QuoteContext:
    return QuoteContext(visitor_id=cart.visitor_id or None, country=country)


def quote_for(
    *,
    cart: Cart,
    shopper: Shopper,
    voucher_codes: Iterable[str] | None = None,
    country: str | None = None,
    skus: Iterable[str] | None = None,
    lines: Iterable[CartLine] | None = None,
) -> Quote:
    """Quote the cart's lines (or only ``skus``) with its vouchers (or ``voucher_codes``).

    ``lines``: the cart's lines when the caller has just read them.
    """
    wanted = None if skus is None else set(skus)
    basket = [
        BasketLine(sku=line.sku, quantity=line.quantity)
        for line in (cart.lines.all() if lines is None else lines)
        if wanted is None or line.sku in wanted
    ]
    return pricing_api.quote(
        lines=basket,
        currency=cart.currency,
        customer=shopper.customer,
        voucher_codes=cart.voucher_codes if voucher_codes is None else list(voucher_codes),
        context=context_of(cart, country=country),
    )


def unit_price_now(*, cart: Cart, sku: str, shopper: Shopper) -> Money | None:
    """The shopper's unit price of ``sku`` in the cart's currency; None if it has none."""
    return unit_prices_now(cart=cart, skus=[sku], shopper=shopper).get(sku)


def unit_prices_now(
    *, cart: Cart, skus: list[str], shopper: Shopper, currency: str | None = None
) -> dict[str, Money]:
    """The shopper's unit prices of ``skus`` in ``currency`` (default: the cart's), of the
    SKUs on sale (`on_sale`) only: a price alone does not make a product for sale."""
    sellable = on_sale(catalog_api.products_by_sku(skus=list(skus)))
    prices = pricing_api.prices_for(
        skus=[sku for sku in skus if sku in sellable],
        currency=currency or cart.currency,
        customer=shopper.customer,
        context=context_of(cart),
    )
    return {sku: unit.price for sku, unit in prices.items()}


def on_sale(products: dict[str, ProductSummary]) -> set[str]:
    """The SKUs of ``products`` (``catalog_api.products_by_sku``) shoppers may buy now.

    Pricing keeps the prices of an archived product (it may be published
    again) and of a deleted one's SKUs, and whether a SKU has a price was all
    a cart asked: an app holding a SKU (a synchronised catalog, a cart filled
    before) added an archived or deleted product, and a cart holding one
    checked it out and placed it, while its product page was a 404.
    """
    return {sku for sku, product in products.items() if product.on_sale}


@dataclass(frozen=True, slots=True)
class CartLineView:
    sku: str
    title: str
    slug: str
    quantity: int
    added_unit_price: Money
    unit_price: Money | None  # None: no longer for sale (no price)
    compare_at: Money | None
    total: Money | None
    discounts: tuple[AppliedDiscount, ...]
    image: Image | None = None  # the product's first picture, for a thumbnail
    variant_name: str = ""  # "1 kg"; empty for a product sold in one variant

    @property
    def full_title(self) -> str:
        """What the order line will say was bought: "Espresso Beans, 1 kg"."""
        return f"{self.title}, {self.variant_name}" if self.variant_name else self.title

    @property
    def available(self) -> bool:
        return self.unit_price is not None

    @property
    def price_changed(self) -> bool:
        return self.available and self.unit_price.rounded() != self.added_unit_price.rounded()

    @property
    def price_went_up(self) -> bool:
        return self.price_changed and self.unit_price > self.added_unit_price


@dataclass(frozen=True, slots=True)
class CartView:
    """A cart as the shopper sees it, priced now."""

    token: str
    currency: str
    lines: tuple[CartLineView, ...]
    voucher_codes: tuple[str, ...]
    refused_vouchers: tuple[tuple[str, str], ...]  # (code, pricing's reason) no longer accepted
    quote: Quote | None  # None for an empty cart (or one whose products all lost their price)
    notices: tuple[CartNotice, ...] = ()  # about the change just made (a capped quantity)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def can_check_out(self) -> bool:
        return self.quote is not None and all(line.available for line in self.lines)


def priced_cart(*, cart: Cart, shopper: Shopper, country: str | None = None) -> CartView:
    """The cart with today's prices; lines whose SKU lost its price, or whose product is no
    longer on sale, are shown as unavailable.

    A voucher pricing no longer accepts (expired, used up) is left out of
    the quote and listed with pricing's reason in ``refused_vouchers``.
    """
    lines = list(cart.lines.all())
    skus = [line.sku for line in lines]
    products = catalog_api.products_by_sku(skus=skus) if skus else {}
    # A line whose product is no longer on sale is unavailable, as one that lost its price.
    priced, codes, refused = on_sale(products), list(cart.voucher_codes), []
    quote = None
    while priced:
        try:
            quote = quote_for(
                cart=cart,
                shopper=shopper,
                country=country,
                skus=priced,
                voucher_codes=codes,
                lines=lines,
            )
        except UnknownSku as unknown:
            priced -= set(unknown.skus)
        except VoucherRejected as rejected:
            refused.append((rejected.code, rejected.reason))
            codes = [c for c in codes if c.upper() != rejected.code.strip().upper()]
            if len(refused) > len(cart.voucher_codes):
                raise  # not one of the cart's codes: a bug, not a shopper's problem
        else:
            break
    by_sku = {line.sku: line for line in quote.lines} if quote else {}
    views = []
    for line in lines:
        priced_line = by_sku.get(line.sku)
        product = products.get(line.sku)
        views.append(
            CartLineView(
                sku=line.sku,
                title=product.title if product else line.sku,
                slug=product.slug if product else "",
                quantity=line.quantity,
                added_unit_price=Money(line.added_unit_price, cart.currency),
                unit_price=priced_line.unit_price if priced_line else None,
                compare_at=priced_line.compare_at if priced_line else None,
                total=priced_line.total if priced_line else None,
                discounts=priced_line.discounts if priced_line else (),
                image=product.image if product else None,
                variant_name=product.variant_name(line.sku) if product else "",
            )
        )
    return CartView(
        token=cart.token,
        currency=cart.currency,
        lines=tuple(views),
        voucher_codes=tuple(codes),
        refused_vouchers=tuple(refused),
        quote=quote,
    )
