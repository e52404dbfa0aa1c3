"""The cart page and its forms (add from the product page, change, remove, vouchers).

Every change is a POST answered by a redirect to the cart (or back to the
product page on a refusal), with the refusal's specific message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from orders.cart import services as carts
from orders.cart.pricing import Shopper, priced_cart
from orders.cart.session import current_cart
from orders.dtos import CartError


class LineForm(forms.Form):
    sku = forms.CharField(max_length=64)
    quantity = forms.IntegerField(min_value=0, required=False)


class VoucherForm(forms.Form):
    code = forms.CharField(max_length=64)


def _back(request, fallback: str = "orders:cart"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)  # a URL; redirect() would take "1" for a view name
    return redirect(fallback)


def _first_error(form: forms.Form) -> str:
    return next(f"{name}: {errors[0]}" for name, errors in form.errors.items())


@require_GET
def cart(request):
    found = current_cart(request)
    view = priced_cart(cart=found, shopper=Shopper.of(request.user)) if found else None
    return render(request, "orders/cart.html", {"cart": view})


@require_POST
def add(request):
    form = LineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request)
    try:
        carts.cart_add(
            cart=current_cart(request, create=True),
            sku=form.cleaned_data["sku"],
            quantity=form.cleaned_data["quantity"] or 1,
            shopper=Shopper.of(request.user),
        )
    except CartError as refused:
        messages.error(request, str(refused))
        return _back(request)
    messages.success(request, "Added to your cart.")
    return redirect("orders:cart")


@require_POST
def update(request):
    form = LineForm(request.POST)
    found = current_cart(request)
    if not form.is_valid() or found is None or form.cleaned_data["quantity"] is None:
        messages.error(request, "Choose a quantity.")
        return redirect("orders:cart")
    try:
        carts.cart_set_quantity(
            cart=found, sku=form.cleaned_data["sku"], quantity=form.cleaned_data["quantity"]
        )
    except CartError as refused:
        messages.error(request, str(refused))
    return redirect("orders:cart")


@require_POST
def remove(request):
    found = current_cart(request)
    if found is not None:
        try:
            carts.cart_remove(cart=found, sku=request.POST.get("sku", ""))
        except CartError as refused:
            messages.error(request, str(refused))
    return redirect("orders:cart")


@require_POST
def voucher_apply(request):
    form = VoucherForm(request.POST)
    found = current_cart(request)
    if found is None or not form.is_valid():
        messages.error(request, "Enter a voucher code.")
        return redirect("orders:cart")
    try:
        code = carts.voucher_apply(
            cart=found, code=form.cleaned_data["code"], shopper=Shopper.of(request.user)
        )
    except CartError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Voucher {code} applied.")
    return redirect("orders:cart")


@require_POST
def voucher_remove(request):
    found = current_cart(request)
    if found is not None:
        try:
            carts.voucher_remove(cart=found, code=request.POST.get("code", ""))
        except CartError as refused:
            messages.error(request, str(refused))
    return redirect("orders:cart")
