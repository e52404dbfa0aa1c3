"""The checkout pages: details (e-mail, addresses, shipping), review and place, confirmation.

Reaching the details page starts checkout: the cart's stock is reserved.
The review page shows exactly what will be charged and carries a one-time
token; placing with a token that already placed an order (double click,
refresh) lands on that order instead of placing another.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import api as accounts_api
from accounts.dtos import InvalidAddress, PostalAddress, SavedAddress
from orders.cart.pricing import priced_cart, shopper_of
from orders.cart.session import current_cart
from orders.checkout import services as checkout
from orders.checkout.forms import NEW_ADDRESS, AddressFields, DetailsForm, PlaceOrderForm
from orders.dtos import CheckoutError
from orders.lifecycle import actor_of
from orders.shipping import methods
from orders.views import SESSION_KEY


def _book(request) -> list[SavedAddress]:
    if not request.user.is_authenticated:
        return []
    return accounts_api.addresses_for(customer_id=request.user.pk)


def _chosen(book: list[SavedAddress], address: dict, *, default: str) -> str:
    """The book entry holding ``address`` (else the default one, when none is set yet)."""
    if address:
        found = next((a for a in book if a.address.as_dict() == address), None)
    else:
        found = next((a for a in book if getattr(a, default)), None)
    return str(found.id) if found else NEW_ADDRESS


def _initial(request, cart, book: list[SavedAddress]) -> tuple[dict, dict, dict]:
    """What the details forms start with: the cart's details, else the customer's defaults.

    An address that is an entry of the book is chosen as that entry, and the
    new address's fields start empty: filled with it, they would offer the
    same address twice, and a shopper choosing "a new address" would first
    have to clear every field.
    """
    details = {"email": cart.email, "shipping_method": cart.shipping_method or "standard"}
    shipping, billing = cart.shipping_address or {}, cart.billing_address or {}
    if request.user.is_authenticated:
        details["email"] = details["email"] or request.user.email
        default = next((a for a in book if a.is_default_shipping), None)
        if default and not shipping:
            shipping = default.address.as_dict()
    details["billing_same"] = not billing or billing == shipping
    if book:
        details["ship_saved"] = _chosen(book, shipping, default="is_default_shipping")
        details["bill_saved"] = _chosen(
            book, {} if details["billing_same"] else billing, default="is_default_billing"
        )
        shipping = shipping if details["ship_saved"] == NEW_ADDRESS else {}
        billing = billing if details["bill_saved"] == NEW_ADDRESS else {}
    return details, shipping, billing


def _shipping_choices(request, cart) -> list[tuple[str, str]]:
    view = priced_cart(cart=cart, shopper=shopper_of(request.user))
    offered = methods()
    if view.quote is None:
        return [(m.code, m.name) for m in offered]
    return [
        (
            m.code,
            f"{m.name} — {m.price_for(goods_total=view.quote.total, item_count=view.item_count)}",
        )
        for m in offered
    ]


def _typed(form: DetailsForm, ship: AddressFields, bill: AddressFields) -> dict:
    """The addresses the shopper typed rather than chose from their book, by role."""
    chosen = getattr(form, "cleaned_data", {})
    typed = {}
    if chosen.get("ship_saved", NEW_ADDRESS) == NEW_ADDRESS:
        typed["shipping_address"] = ship
    if (
        not chosen.get("billing_same", True)
        and chosen.get("bill_saved", NEW_ADDRESS) == NEW_ADDRESS
    ):
        typed["billing_address"] = bill
    return typed


def _check_typed_addresses(form: DetailsForm, ship: AddressFields, bill: AddressFields) -> None:
    """The country's rules on each typed address whose fields are well formed, while
    another field (the e-mail) was refused: their errors come in the same answer."""
    errors = {}
    for role, fields in _typed(form, ship, bill).items():
        if fields.is_valid():
            try:
                accounts_api.validate_address(address=fields.address())
            except InvalidAddress as invalid:
                errors[role] = invalid.errors
    _show_address_errors(errors, form, ship, bill)


def _show_address_errors(
    errors: dict[str, dict[str, list[str]]],
    form: DetailsForm,
    ship: AddressFields,
    bill: AddressFields,
) -> None:
    """Each address's errors on its fields, once: billing to the shipping address has the
    shipping address's errors already."""
    same = getattr(form, "cleaned_data", {}).get("billing_same", True)
    for role, fields_errors in errors.items():
        if role == "billing_address" and same:
            continue
        target = ship if role == "shipping_address" else bill
        for field, texts in fields_errors.items():
            for text in texts:
                target.add_error(field if field in target.fields else None, text)


@require_http_methods(["GET", "HEAD", "POST"])
def details(request):
    cart = current_cart(request)
    if cart is None or not cart.lines.exists():
        return redirect("orders:cart")
    if request.method == "GET":
        try:
            checkout.checkout_start(cart=cart)
        except CheckoutError as refused:
            messages.error(request, str(refused))
            return redirect("orders:cart")
    book = _book(request)
    initial, ship_initial, bill_initial = _initial(request, cart, book)
    data = request.POST or None
    form = DetailsForm(
        data,
        initial=initial,
        shipping_choices=_shipping_choices(request, cart),
        address_book=book,
    )
    ship = AddressFields(data, prefix="ship", initial=ship_initial)
    bill = AddressFields(data, prefix="bill", initial=bill_initial)
    # Every form checked, so that all their errors show at once.
    if request.method == "POST" and all([form.is_valid(), ship.is_valid(), bill.is_valid()]):
        shipping = form.saved_address("ship_saved") or ship.address()
        billing = (
            shipping
            if form.cleaned_data["billing_same"]
            else form.saved_address("bill_saved") or bill.address()
        )
        try:
            checkout.checkout_details_set(
                cart=cart,
                email=form.cleaned_data["email"],
                shipping_address=shipping,
                billing_address=billing,
                shipping_method=form.cleaned_data["shipping_method"],
            )
        except checkout.AddressesInvalid as invalid:
            _show_address_errors(invalid.errors, form, ship, bill)
        except CheckoutError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("orders:checkout_review")
    elif request.method == "POST":
        _check_typed_addresses(form, ship, bill)
    summary = priced_cart(cart=cart, shopper=shopper_of(request.user))
    context = {"form": form, "ship": ship, "bill": bill, "cart": summary}
    return render(request, "orders/checkout.html", context)


@require_POST
def place(request):
    """The final step; the token tells a repeated submission from a new one."""
    form = PlaceOrderForm(request.POST)
    if not form.is_valid():
        return redirect("orders:checkout_review")
    token = form.cleaned_data["token"]
    cart = current_cart(request)
    # Read after the cart: a twin request that placed the order meanwhile also deleted the cart.
    number = checkout.placed_order_number(token=token)
    if number is None and cart is None:
        return redirect("orders:cart")
    if number is None:
        try:
            number = checkout.checkout_place(
                cart=cart,
                shopper=shopper_of(request.user),
                token=token,
                actor=actor_of(request.user),
            ).number
        except CheckoutError as refused:  # TotalChanged included: the review shows the new total
            number = checkout.placed_order_number(token=token)  # a parallel twin placed it
            if number is None:
                messages.error(request, str(refused))
                return redirect(
                    "orders:checkout_review" if current_cart(request) else "orders:cart"
                )
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), number][-20:]
    return redirect("orders:pay", number=number)


@require_safe
def review(request):
    cart = current_cart(request)
    if cart is None:
        return redirect("orders:cart")
    try:
        summary = checkout.checkout_review(cart=cart, shopper=shopper_of(request.user))
    except CheckoutError as refused:
        messages.error(request, str(refused))
        return redirect("orders:checkout" if cart.lines.exists() else "orders:cart")
    return render(
        request,
        "orders/checkout_review.html",
        {
            "summary": summary,
            "form": PlaceOrderForm(initial={"token": secrets.token_urlsafe(24)}),
            "shipping_address": PostalAddress(**cart.shipping_address),
            "billing_address": PostalAddress(**cart.billing_address),
            "email": cart.email,
        },
    )
