"""Orders' storefront pages: a customer's order history and orders, and guest lookup.

Another customer's order is a 404, exactly like a number that does not
exist. A guest who proves an order (number + e-mail) may see it for the rest
of their session; failed lookups are throttled per client address so
numbers cannot be tried in bulk.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from orders import access, payments, pictures, selectors
from orders.dtos import OrderError
from orders.forms import OrderLookupForm, PaymentForm
from orders.lifecycle import actor_of
from orders.models import Order, Payment, SandboxCharge
from orders.providers.base import Card

SESSION_KEY = "orders.looked_up"


@login_required
def history(request):
    orders = selectors.orders_of_customer(
        customer_id=request.user.pk, page=request.GET.get("page", 1)
    )
    return render(
        request, "orders/history.html", {"orders": pictures.history_with_pictures(orders)}
    )


@login_required
def detail(request, number: str):
    order = selectors.order_of_customer(customer_id=request.user.pk, number=number)
    if order is None:
        raise Http404("No such order.")
    return render(request, "orders/detail.html", {"order": pictures.with_pictures(order)})


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request):
    form = OrderLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = access.lookup(
                request, number=form.cleaned_data["number"], email=form.cleaned_data["email"]
            )
        except access.LookupThrottled as throttled:
            form.add_error(None, str(throttled))
        else:
            if order is not None:
                granted = request.session.get(SESSION_KEY, [])
                request.session[SESSION_KEY] = [*granted, order.number][-20:]
                return redirect("orders:guest_detail", number=order.number)
            form.add_error(None, _("We found no order with this number and e-mail address."))
    return render(request, "orders/lookup.html", {"form": form})


def guest_detail(request, number: str):
    """An order this session has proven with its number and e-mail."""
    if number not in request.session.get(SESSION_KEY, []):
        raise Http404("No such order.")
    order = selectors.order_by_number(number=number)
    if order is None:
        raise Http404("No such order.")
    return render(request, "orders/detail.html", {"order": pictures.with_pictures(order)})


def _readable_order(request, number: str) -> Order:
    """The signed-in customer's own order, or one this session proved (guest lookup); else 404."""
    order = Order.objects.filter(number=number).first()
    own = (
        order is not None and request.user.is_authenticated and order.customer_id == request.user.pk
    )
    proven = order is not None and number in request.session.get(SESSION_KEY, [])
    if not (own or proven):
        raise Http404("No such order.")
    return order


def _order_page(request, order: Order):
    own = request.user.is_authenticated and order.customer_id == request.user.pk
    return redirect("orders:detail" if own else "orders:guest_detail", number=order.number)


def confirmation(request, number: str):
    """Shown once an order is placed and paid (or its payment is under way)."""
    order = _readable_order(request, number)
    detail = pictures.with_pictures(selectors.detail_of(order))
    return render(request, "orders/confirmation.html", {"order": detail})


@require_http_methods(["GET", "HEAD", "POST"])
def pay(request, number: str):
    """Pay an order awaiting payment: card (sandbox), bank transfer or cash on delivery."""
    order = _readable_order(request, number)
    if order.status != "pending_payment":
        # A second click of "Pay" that arrives after the first one paid the
        # order lands where the first one did, not on a different page.
        if request.method == "POST":
            return redirect("orders:confirmation", number=order.number)
        return _order_page(request, order)
    form = PaymentForm(request.POST or None, initial={"attempt": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = (
            Card(
                number=data["card_number"],
                exp_month=data["exp_month"],
                exp_year=data["exp_year"],
                cvc=data["cvc"],
            )
            if data["provider"] == "sandbox"
            else None
        )
        try:
            payment = payments.payment_start(
                order_id=order.pk,
                provider_code=data["provider"],
                card=card,
                actor=actor_of(request.user),
                attempt_key=f"page:{data['attempt']}",
            )
        except OrderError as refused:
            form.add_error(None, str(refused))
        else:
            if payment.status == Payment.Status.FAILED:
                messages.error(
                    request, _("The payment was declined. Please try another card or method.")
                )
                return redirect("orders:pay", number=order.number)
            if payment.status == Payment.Status.REQUIRES_ACTION:
                return redirect(
                    "orders:sandbox_challenge", number=order.number, payment_id=payment.pk
                )
            messages.success(
                request,
                _("Thank you! Your payment was received.")
                if payment.status == "captured"
                else payment.next_action,
            )
            return redirect("orders:confirmation", number=order.number)
    detail = pictures.with_pictures(selectors.detail_of(order))
    return render(request, "orders/pay.html", {"order": detail, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def sandbox_challenge(request, number: str, payment_id: int):
    """The sandbox's stand-in for the bank's 3-D Secure page: approve or fail the payment."""
    order = _readable_order(request, number)
    payment = order.payments.filter(pk=payment_id, provider="sandbox").first()
    if payment is None:
        raise Http404("No such payment.")
    if request.method == "POST" and payment.status == Payment.Status.REQUIRES_ACTION:
        charge = SandboxCharge.objects.get(reference=payment.reference)
        token = charge.action_token if request.POST.get("outcome") == "approve" else ""
        try:
            confirmed = payments.payment_confirm(
                payment_id=payment.pk, token=token, actor=actor_of(request.user)
            )
        except OrderError as refused:
            messages.error(request, str(refused))
        else:
            if confirmed.status == Payment.Status.FAILED:
                messages.error(
                    request, _("Your bank did not confirm the payment. Please try again.")
                )
                return redirect("orders:pay", number=order.number)
            messages.success(request, _("Thank you! Your payment was received."))
        return _order_page(request, order)
    return render(request, "orders/sandbox_challenge.html", {"order": order, "payment": payment})
