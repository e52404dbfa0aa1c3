"""Cart use cases: find or create, add, change, remove, vouchers, merge at sign-in.

A cart stores SKUs and quantities (and the unit price seen when a line was
added); what it costs always comes from a fresh ``pricing.api.quote`` (see
`orders.cart.pricing`). Limits: at most ``PRICING_MAX_LINE_QUANTITY`` units
per line and ``PRICING_MAX_LINES`` lines, the same ceilings pricing itself
enforces on a quote, so a cart can always be quoted. A line never holds
more than can be bought when it is changed (`orders.cart.stock`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.translation import gettext

from catalog import api as catalog_api
from kernel.databases import atomic
from kernel.quantities import is_valid_quantity
from orders.cart import counts, stock
from orders.cart.pricing import quote_for, unit_price_now, unit_prices_now
from orders.dtos import (
    CartConflict,
    CartEmpty,
    CartError,
    CartNotice,
    NotForSale,
    NotInCart,
    VariantRequired,
    VoucherRefused,
)
from orders.models import Cart, CartLine
from pricing.dtos import PricingError, Shopper, VoucherRejected


def max_line_quantity() -> int:
    return settings.PRICING_MAX_LINE_QUANTITY


def max_lines() -> int:
    return settings.PRICING_MAX_LINES


def new_cart_token() -> str:
    return secrets.token_urlsafe(32)


def cart_by_token(*, token: str) -> Cart | None:
    return Cart.objects.filter(token=token).first() if token else None


def customer_cart(*, customer_id: int) -> Cart | None:
    return Cart.objects.filter(customer_id=customer_id).first()


@atomic("orders")
def cart_create(*, currency: str, customer_id: int | None = None, visitor_id: str = "") -> Cart:
    """A new anonymous cart, or the customer's one cart (created on first use)."""
    defaults = {"token": new_cart_token(), "visitor_id": visitor_id, "currency": currency}
    if customer_id is None:
        return Cart.objects.create(**defaults)
    cart, _ = Cart.objects.get_or_create(customer_id=customer_id, defaults=defaults)
    return cart


def _checked_quantity(quantity: int, *, zero_removes: bool = False) -> int:
    """``quantity`` if a line may hold it; else the shopper is told the range (where a 0
    removes the line, as a changed line's quantity does, that it does)."""
    if not is_valid_quantity(quantity, most=max_line_quantity()):
        message = (
            gettext("Choose a quantity between 0 (to remove the item) and %(most)s.")
            if zero_removes
            else gettext("Choose a quantity between 1 and %(most)s.")
        )
        raise CartError(message % {"most": max_line_quantity()}, field="quantity")
    return quantity


def _refuse_unpriced(sku: str) -> None:
    """Why ``sku`` cannot be added: a product's code whose variants are for sale (a card's
    ``sku``) is told to choose one of them, which it was not ("cannot be bought at the
    moment" of a product in stock); anything else is not for sale."""
    product = catalog_api.products_by_sku(skus=[sku]).get(sku)
    if product and product.on_sale and product.sku == sku and sku not in product.variant_skus:
        raise VariantRequired(
            sku,
            product.variant_skus,
            gettext("Choose one of this product's variants: %(skus)s.")
            % {"skus": ", ".join(product.variant_skus)},
        )
    raise NotForSale(sku, gettext("This product cannot be bought at the moment."))


def _changed(cart: Cart) -> None:
    """Any change of the basket invalidates the reviewed total of a checkout under way.

    The update locks the cart's row until the change commits: called first, it makes
    concurrent changes of one cart (a double tap on "Add to cart") wait for each other.
    """
    Cart.objects.filter(pk=cart.pk).update(reviewed_total=None)
    cart.reviewed_total = None
    counts.changed(cart)


@atomic("orders")
def cart_add(*, cart: Cart, sku: str, quantity: int, shopper: Shopper) -> CartNotice | None:
    """Add ``quantity`` units of ``sku`` (to the line of that SKU if there is one).

    The line is capped at what can be bought (`orders.cart.stock`); the
    notice saying so is returned. Raises `OutOfStock` (nothing added).
    Concurrent adds to one cart wait for each other (`_changed` first), so a
    second add of a SKU finds the line the first one made.
    """
    _checked_quantity(quantity)
    _changed(cart)
    line = CartLine.objects.filter(cart=cart, sku=sku).first()
    if line is None and cart.lines.count() >= max_lines():
        raise CartConflict(
            gettext("A cart holds at most %(most)s different products.") % {"most": max_lines()},
            code="cart_full",
            field="sku",
        )
    # Asked for a line already held too: a product gone off sale since is not added to.
    price = unit_price_now(cart=cart, sku=sku, shopper=shopper)
    if price is None:
        _refuse_unpriced(sku)
    if line is not None:
        if not is_valid_quantity(line.quantity + quantity, most=max_line_quantity()):
            raise CartConflict(
                gettext(
                    "At most %(most)s of one product per order; your cart already holds %(held)s."
                )
                % {"most": max_line_quantity(), "held": line.quantity},
                code="line_full",
                field="quantity",
            )
        line.quantity, notice = stock.capped(cart=cart, sku=sku, wanted=line.quantity + quantity)
        line.save(update_fields=["quantity"])
    else:
        quantity, notice = stock.capped(cart=cart, sku=sku, wanted=quantity)
        CartLine.objects.create(
            cart=cart, sku=sku, quantity=quantity, added_unit_price=price.amount
        )
    return notice


@atomic("orders")
def cart_set_quantity(*, cart: Cart, sku: str, quantity: int) -> CartNotice | None:
    """Change a line's quantity (0 removes it), capped at what can be bought, as `cart_add`."""
    if quantity == 0:
        cart_remove(cart=cart, sku=sku)
        return None
    _checked_quantity(quantity, zero_removes=True)
    _changed(cart)
    if not CartLine.objects.filter(cart=cart, sku=sku).exists():
        raise NotInCart(gettext("This product is not in your cart."))
    quantity, notice = stock.capped(cart=cart, sku=sku, wanted=quantity)
    CartLine.objects.filter(cart=cart, sku=sku).update(quantity=quantity)
    stock.holds_given_back(cart)
    return notice


@atomic("orders")
def cart_currency_set(*, cart: Cart, currency: str, shopper: Shopper) -> None:
    """Re-quote the cart in ``currency`` (the shopper switched): the same lines, new prices.

    Each line's "price when added" becomes its price in the new currency,
    so the switch is not reported as a price change on every line. A line
    without a price in that currency stays, shown as no longer available
    (as when a product loses its price); vouchers stay and are judged by
    the next quote (a fixed amount in another currency no longer applies).
    """
    if cart.currency == currency:
        return
    _changed(cart)
    lines = list(CartLine.objects.filter(cart=cart))
    prices = unit_prices_now(
        cart=cart, skus=[line.sku for line in lines], shopper=shopper, currency=currency
    )
    for line in lines:
        if line.sku in prices:
            line.added_unit_price = prices[line.sku].amount
    CartLine.objects.bulk_update(lines, ["added_unit_price"])
    Cart.objects.filter(pk=cart.pk).update(currency=currency)
    cart.currency = currency


@atomic("orders")
def cart_remove(*, cart: Cart, sku: str) -> None:
    _changed(cart)
    deleted, _ = CartLine.objects.filter(cart=cart, sku=sku).delete()
    if not deleted:
        raise NotInCart(gettext("This product is not in your cart."))
    stock.holds_given_back(cart)


@atomic("orders")
def voucher_apply(*, cart: Cart, code: str, shopper: Shopper) -> str:
    """Apply a voucher code if pricing accepts it for this basket; returns the code as stored.

    A code applied earlier that pricing no longer accepts (used up, expired
    meanwhile: the cart shows it refused) is dropped, not held against the new one.
    """
    code = code.strip().upper()
    if not code:
        raise CartError(gettext("Enter a voucher code."), field="code")
    if code in cart.voucher_codes:
        raise CartConflict(
            gettext("%(code)s is already applied.") % {"code": code},
            code="voucher_applied",
            field="code",
        )
    if not cart.lines.exists():
        raise CartEmpty(gettext("Add something to your cart before entering a voucher."))
    codes = [*cart.voucher_codes, code]
    while True:
        try:
            quote_for(cart=cart, shopper=shopper, voucher_codes=codes)
            break
        except VoucherRejected as rejected:
            refused = rejected.code.strip().upper()
            if refused == code or refused not in codes:
                raise VoucherRefused(
                    rejected.code, f"{rejected.code}: {rejected.reason}", unknown=rejected.unknown
                ) from rejected
            codes.remove(refused)
    cart.voucher_codes = codes
    cart.save(update_fields=["voucher_codes", "updated_at"])
    _changed(cart)
    return code


@atomic("orders")
def voucher_remove(*, cart: Cart, code: str) -> None:
    code = code.strip().upper()
    if code not in cart.voucher_codes:
        raise NotInCart(gettext("%(code)s is not applied to your cart.") % {"code": code})
    cart.voucher_codes = [c for c in cart.voucher_codes if c != code]
    cart.save(update_fields=["voucher_codes", "updated_at"])
    _changed(cart)


@atomic("orders")
def cart_merge(*, source: Cart, customer_id: int, shopper: Shopper) -> Cart:
    """Merge an anonymous cart into the customer's cart at sign-in; returns the customer's cart.

    The rule (docs/orders.md): quantities of the same SKU are added and
    capped at the per-line limit; the customer's line keeps the price it was
    added at; new SKUs are taken over until the line limit is reached; the
    anonymous cart's vouchers are kept if pricing accepts them for the merged
    basket (the others are dropped silently: they were never redeemed).
    Without a customer cart the anonymous cart simply becomes theirs.
    """
    target = Cart.objects.select_for_update().filter(customer_id=customer_id).first()
    if target is None:
        source.customer_id = customer_id
        source.save(update_fields=["customer_id", "updated_at"])
        counts.changed(source)
        return source
    if target.pk == source.pk:
        return target
    counts.changed(source)
    counts.changed(target)
    existing = {line.sku: line for line in target.lines.select_for_update()}
    room = max_lines() - len(existing)
    for line in source.lines.all():
        mine = existing.get(line.sku)
        if mine is not None:
            mine.quantity = min(mine.quantity + line.quantity, max_line_quantity())
            mine.save(update_fields=["quantity"])
        elif room > 0:
            CartLine.objects.create(
                cart=target,
                sku=line.sku,
                quantity=line.quantity,
                added_unit_price=line.added_unit_price,
                added_at=line.added_at,
            )
            room -= 1
    codes = list(target.voucher_codes)
    for code in source.voucher_codes:
        if code in codes:
            continue
        try:
            quote_for(cart=target, shopper=shopper, voucher_codes=[*codes, code])
        except PricingError:
            continue
        codes.append(code)
    target.voucher_codes = codes
    target.reviewed_total = None
    target.save(update_fields=["voucher_codes", "reviewed_total", "updated_at"])
    source.delete()
    return target
