"""Being found and shared: the sitemap, robots.txt, the favicon, and product JSON-LD.

The sitemap lists every published product and every category, built from
``catalog.api`` a page of products at a time and cached for an hour
(search engines read it rarely; a new product waits at most that long).
Product JSON-LD (schema.org ``Product`` with one ``Offer`` per variant) is
data, not script, so a Content-Security-Policy without 'unsafe-inline'
scripts lets it through.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from catalog import api as catalog_api
from inventory.dtos import StockStatus
from storefront.composition import ProductOffer

SITEMAP_CACHE_SECONDS = 60 * 60
_PAGE = 500

#: schema.org availability of each stock status.
AVAILABILITY = {
    StockStatus.IN_STOCK: "https://schema.org/InStock",
    StockStatus.LOW: "https://schema.org/LimitedAvailability",
    StockStatus.OUT: "https://schema.org/OutOfStock",
}


class _InEveryLanguage(Sitemap):
    """Each page once per language (``/…`` and ``/de/…``), with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class ProductSitemap(_InEveryLanguage):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        slugs, number, page_count = [], 1, 1
        while number <= page_count:
            page = catalog_api.product_page(page=number, per_page=_PAGE)
            slugs += [product.slug for product in page.items]
            number, page_count = number + 1, page.page_count
        return slugs

    def location(self, item: str) -> str:
        return reverse("storefront:product", kwargs={"slug": item})


class CategorySitemap(_InEveryLanguage):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> list[str]:
        def walk(nodes):
            for node in nodes:
                yield node.slug
                yield from walk(node.children)

        return list(walk(catalog_api.category_tree()))

    def location(self, item: str) -> str:
        return reverse("storefront:category", kwargs={"slug": item})


SITEMAPS = {"products": ProductSitemap, "categories": CategorySitemap}

sitemap_view = cache_page(SITEMAP_CACHE_SECONDS)(sitemap)

#: Pages that are a shopper's own or an API: nothing for a search engine.
PRIVATE_PATHS = ("/cart/", "/checkout/", "/account/", "/orders/", "/admin/", "/api/", "/search/")
#: The shopper's pages among them, which exist under each language's prefix too.
SHOPPER_PRIVATE_PATHS = ("/cart/", "/checkout/", "/account/", "/orders/", "/search/")


def _disallowed() -> list[str]:
    prefixes = [f"/{code}" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return [*PRIVATE_PATHS, *(p + path for p in prefixes for path in SHOPPER_PRIVATE_PATHS)]


@require_safe
def robots_txt(request) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in _disallowed()),
        f"Sitemap: {request.build_absolute_uri(reverse('storefront:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG."""
    return redirect(static("img/favicon.svg"), permanent=True)


def _script_safe(data: dict) -> SafeString:
    """JSON that cannot close its <script> element (the escapes json_script uses)."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return mark_safe(text)  # the three characters that could end the element are escaped


def product_json_ld(request, offer: ProductOffer) -> SafeString:
    """schema.org Product for the product page, one Offer per variant with a price."""
    product = offer.product
    url = request.build_absolute_uri(reverse("storefront:product", kwargs={"slug": product.slug}))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.description,
        "sku": product.sku,
        "url": url,
        "image": [request.build_absolute_uri(image.large_url) for image in product.images],
        "offers": [
            {
                "@type": "Offer",
                "sku": variant.variant.sku,
                "url": f"{url}?variant={variant.variant.sku}",
                "price": str(variant.price.rounded().amount),
                "priceCurrency": variant.price.currency,
                "availability": AVAILABILITY[variant.availability.status]
                if variant.availability
                else "https://schema.org/OutOfStock",
            }
            for variant in offer.variants
            if variant.price is not None
        ],
    }
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand.name}
    return _script_safe(data)
