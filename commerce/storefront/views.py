"""Storefront pages composed from several contexts."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from commerce.storefront import composition

PRODUCTS_PER_PAGE = 24


def home(request):
    offers = composition.offer_page(
        page=request.GET.get("page", 1),
        per_page=PRODUCTS_PER_PAGE,
        currency=settings.DEFAULT_CURRENCY,
    )
    return render(request, "storefront/home.html", {"offers": offers})


def product(request, slug: str):
    offer = composition.offer_by_slug(slug=slug, currency=settings.DEFAULT_CURRENCY)
    if offer is None:
        raise Http404("No such product.")
    return render(request, "storefront/product.html", {"offer": offer})
