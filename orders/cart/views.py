"""The cart page and its forms (add from the product page, change, remove, vouchers).

Every change is a POST answered by a redirect to the cart (or back to the
product page on a refusal), with the refusal's specific message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from catalog import api as catalog_api
from catalog.dtos import ProductSummary
from kernel.csrf import origin_checked
from kernel.forms import WholeNumberField, posted_text
from kernel.isolation import call_optional
from kernel.redirects import back_to_next
from orders.cart import services as carts
from orders.cart.pricing import priced_cart, shopper_of
from orders.cart.session import current_cart
from orders.dtos import CartError, CartNotice
from recommendations import api as recommendations_api

#: The wording of a quantity that is no whole number or none, on both forms.
QUANTITY_ERRORS = {
    "invalid": _("Choose a quantity (a whole number)."),
    "required": _("Choose a quantity."),
}


class LineForm(forms.Form):
    """A line's new quantity: 0 removes it."""

    sku = forms.CharField(max_length=64)
    quantity = WholeNumberField(
        min_value=0,
        error_messages={**QUANTITY_ERRORS, "min_value": _("Choose a quantity of 0 or more.")},
    )


class AddForm(forms.Form):
    """Units to add: at least one (none sent: one, as from a bare "Add to cart" button)."""

    sku = forms.CharField(max_length=64)
    quantity = WholeNumberField(
        min_value=1,
        required=False,
        error_messages={**QUANTITY_ERRORS, "min_value": _("Choose at least 1.")},
    )


class VoucherForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        error_messages={
            "required": _("Enter a voucher code."),
            "max_length": _("A voucher code has at most %(limit_value)d characters."),
        },
    )


def _back(request, fallback: str = "orders:cart"):
    return back_to_next(request, fallback)


def _first_error(form: forms.Form) -> str:
    """The first error alone: each message says what it is about, in the shopper's language."""
    return next(errors[0] for errors in form.errors.values())


def _suggested(skus: list[str]) -> tuple[ProductSummary, ...]:
    """Products recommendations suggests for the cart; none when it fails or overruns.

    The cart page is orders' own, so orders asks (recommendations sits
    below it), through ``call_optional``: a slow or broken recommendations
    costs the cart this row only. Checkout never asks (importlinter.ini).
    """
    if not skus:
        return ()
    found = call_optional(
        "recommendations", lambda: recommendations_api.for_cart(skus=skus), fallback=None
    )
    if found is None or not found.items:
        return ()
    products = catalog_api.products_by_id(ids=[item.product_id for item in found.items])
    return tuple(products[i.product_id] for i in found.items if i.product_id in products)


@require_safe
def cart(request):
    found = current_cart(request)
    view = priced_cart(cart=found, shopper=shopper_of(request.user)) if found else None
    suggested = _suggested([line.sku for line in view.lines]) if view else ()
    return render(request, "orders/cart.html", {"cart": view, "suggested": suggested})


@require_safe
@never_cache
def summary(request):
    """The mini-cart's panel: lines, pictures and total, priced like the cart page.

    Fetched by site.js only when a shopper opens the header's cart, so the
    other pages pay for the item count alone (``context_processors``).
    A fragment, not a page: without JavaScript the header links to the cart.
    """
    found = current_cart(request)
    view = priced_cart(cart=found, shopper=shopper_of(request.user)) if found else None
    response = render(request, "orders/minicart_panel.html", {"cart": view})
    response["X-Robots-Tag"] = "noindex"
    return response


def _tell(request, notice: CartNotice | None, done: str = "") -> None:
    """The notice of a capped change (the API's wording), else ``done`` if anything."""
    if notice is not None:
        messages.warning(request, notice.message)
    elif done:
        messages.success(request, done)


@origin_checked
@require_POST
def add(request):
    """The product page's buy box: checked by origin, not a CSRF token, like the currency
    switcher (kernel/csrf.py), so the product page can be shared by a cache."""
    form = AddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request)
    quantity = form.cleaned_data["quantity"]
    try:
        notice = carts.cart_add(
            cart=current_cart(request, create=True),
            sku=form.cleaned_data["sku"],
            quantity=1 if quantity is None else quantity,
            shopper=shopper_of(request.user),
        )
    except CartError as refused:
        messages.error(request, str(refused))
        return _back(request)
    _tell(request, notice, _("Added to your cart."))
    return redirect("orders:cart")


@require_POST
def update(request):
    form = LineForm(request.POST)
    found = current_cart(request)
    if found is None:
        return redirect("orders:cart")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("orders:cart")
    try:
        notice = carts.cart_set_quantity(
            cart=found, sku=form.cleaned_data["sku"], quantity=form.cleaned_data["quantity"]
        )
    except CartError as refused:
        messages.error(request, str(refused))
    else:
        _tell(request, notice)
    return redirect("orders:cart")


@require_POST
def remove(request):
    found = current_cart(request)
    if found is not None:
        try:
            carts.cart_remove(cart=found, sku=posted_text(request, "sku"))
        except CartError as refused:
            messages.error(request, str(refused))
    return redirect("orders:cart")


@require_POST
def voucher_apply(request):
    form = VoucherForm(request.POST)
    found = current_cart(request)
    if not form.is_valid():
        messages.error(request, form.errors["code"][0])
        return redirect("orders:cart")
    if found is None:
        messages.error(request, _("Enter a voucher code."))
        return redirect("orders:cart")
    try:
        code = carts.voucher_apply(
            cart=found, code=form.cleaned_data["code"], shopper=shopper_of(request.user)
        )
    except CartError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Voucher %(code)s applied.") % {"code": code})
    return redirect("orders:cart")


@require_POST
def voucher_remove(request):
    found = current_cart(request)
    if found is not None:
        try:
            carts.voucher_remove(cart=found, code=posted_text(request, "code"))
        except CartError as refused:
            messages.error(request, str(refused))
    return redirect("orders:cart")
