"""Orders' storefront pages: a customer's order history and orders, and guest lookup.

Another customer's order is a 404, exactly like a number that does not
exist. A guest who proves an order (number + e-mail) may see it for the rest
of their session; failed lookups are throttled per client address so
numbers cannot be tried in bulk.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from orders import selectors
from orders.forms import OrderLookupForm

SESSION_KEY = "orders.looked_up"
LOOKUP_ATTEMPTS = 10
LOOKUP_WINDOW_SECONDS = 15 * 60


@login_required
def history(request):
    orders = selectors.orders_of_customer(customer_id=request.user.pk)
    return render(request, "orders/history.html", {"orders": orders})


@login_required
def detail(request, number: str):
    order = selectors.order_of_customer(customer_id=request.user.pk, number=number)
    if order is None:
        raise Http404("No such order.")
    return render(request, "orders/detail.html", {"order": order})


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = OrderLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttle = f"orders:lookup-failures:{request.META.get('REMOTE_ADDR', '')}"
        if cache.get(throttle, 0) >= LOOKUP_ATTEMPTS:
            form.add_error(None, "Too many attempts. Please try again in a few minutes.")
        else:
            order = selectors.order_by_number_and_email(
                number=form.cleaned_data["number"], email=form.cleaned_data["email"]
            )
            if order is not None:
                granted = request.session.get(SESSION_KEY, [])
                request.session[SESSION_KEY] = [*granted, order.number][-20:]
                return redirect("orders:guest_detail", number=order.number)
            cache.add(throttle, 0, LOOKUP_WINDOW_SECONDS)
            cache.incr(throttle)
            form.add_error(None, "We found no order with this number and e-mail address.")
    return render(request, "orders/lookup.html", {"form": form})


def guest_detail(request, number: str):
    """An order this session has proven with its number and e-mail."""
    if number not in request.session.get(SESSION_KEY, []):
        raise Http404("No such order.")
    order = selectors.order_by_number(number=number)
    if order is None:
        raise Http404("No such order.")
    return render(request, "orders/detail.html", {"order": order})
