"""Storefront pages composed from several contexts.

Listing pages (home, category, search) read everything from the URL, so a
filtered, sorted page can be shared and the back button works. A bad
filter or sort value in the URL is ignored and the default applied: a
shopper following an old link gets a page, never an error.

Prices are the shopper's own (shopper.py): the signed-in customer's group
prices and their pricing experiment variant, as the cart will quote them.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from catalog import api as catalog_api
from catalog.dtos import ListingQuery
from kernel.csrf import origin_checked
from kernel.currency import currency_of, remember_currency, shop_currencies
from kernel.redirects import back_to_next
from storefront import cache_tags, composition
from storefront.http_cache import SEGMENT_COOKIE, cacheable_page
from storefront.listing import listing_context
from storefront.pictures import variant_image_index
from storefront.reviews_section import reviews_context
from storefront.seo import product_json_ld
from storefront.shelves import home_shelves
from storefront.shopper import shopper_of, viewer_of

PRODUCTS_PER_PAGE = 24


def _query(request, **fixed) -> ListingQuery:
    """The listing the URL asks for; invalid parameters are simply left out."""
    parsed = catalog_api.listing_query_from_params(
        params=dict(request.GET.lists()),
        currency=currency_of(request),
        default_per_page=PRODUCTS_PER_PAGE,
    )
    return dataclasses.replace(parsed.query, **fixed)


def _redirect_keeping_query(request, url: str) -> HttpResponsePermanentRedirect:
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@cacheable_page
def home(request):
    """The shop window (promotions, new arrivals, best sellers) above all products.

    The shelves show on the plain first page only: a shopper who filters,
    sorts or pages is browsing the list below them.
    """
    shopper = shopper_of(request)
    offers = composition.offer_listing(query=_query(request, category=None, q=""), shopper=shopper)
    context = listing_context(request, offers, category_links=True)
    if offers.result.query.page == 1 and not context["filtered"]:
        context["shelves"] = home_shelves(
            currency=currency_of(request),
            shopper=shopper,
            shown=offers,
            with_products=offers.page.page_count > 1,
        )
    shelves = context.get("shelves")
    shown = (offers.offers, *((shelves.new_arrivals, shelves.best_sellers) if shelves else ()))
    response = render(request, "storefront/home.html", context)
    return cache_tags.tag(response, [cache_tags.HOME, *cache_tags.of_offers(*shown)])


@cacheable_page
def category(request, slug: str):
    detail = catalog_api.category_by_slug(slug=slug)
    if detail is None:
        raise Http404("No such category.")
    if detail.slug != slug:
        url = reverse("storefront:category", kwargs={"slug": detail.slug})
        return _redirect_keeping_query(request, url)
    offers = composition.offer_listing(
        query=_query(request, category=detail.slug, q=""), shopper=shopper_of(request)
    )
    context = listing_context(request, offers, category_links=True)
    response = render(request, "storefront/category.html", {**context, "category": detail})
    tags = [cache_tags.category(detail.slug), *cache_tags.of_offers(offers.offers)]
    return cache_tags.tag(response, tags)


@cacheable_page
def search(request):
    offers = composition.offer_listing(query=_query(request), shopper=shopper_of(request))
    context = listing_context(request, offers, category_links=False)
    response = render(request, "storefront/search.html", context)
    return cache_tags.tag(response, [cache_tags.SEARCH, *cache_tags.of_offers(offers.offers)])


@cacheable_page
def product(request, slug: str):
    shopper = shopper_of(request)
    offer = composition.offer_by_slug(slug=slug, currency=currency_of(request), shopper=shopper)
    if offer is None:
        raise Http404("No such product.")
    if offer.product.slug != slug:
        url = reverse("storefront:product", kwargs={"slug": offer.product.slug})
        return _redirect_keeping_query(request, url)
    # ?variant= is what the variant picker writes; ?sku= is kept for older links.
    wanted = request.GET.get("variant") or request.GET.get("sku")
    chosen = next((v for v in offer.variants if v.variant.sku == wanted), None) or next(
        (v for v in offer.variants if v.purchasable), offer.variants[0] if offer.variants else None
    )
    suggestions = composition.suggestions_for(
        product_id=offer.product.id, currency=currency_of(request), shopper=shopper
    )
    images = offer.product.images
    pictured = {v.variant.sku: variant_image_index(v.variant, images) for v in offer.variants}
    main = pictured.get(chosen.variant.sku) if chosen else None
    canonical = reverse("storefront:product", kwargs={"slug": offer.product.slug})
    context = {
        "offer": offer,
        "chosen": chosen,
        "canonical_url": request.build_absolute_uri(canonical),
        "json_ld": product_json_ld(request, offer),
        "variant_choices": [(v, pictured[v.variant.sku]) for v in offer.variants],
        "main_image": images[main or 0] if images else None,
        "og_image": request.build_absolute_uri(images[main or 0].large_url) if images else "",
        "suggestions": suggestions,
        **_reviews(request, offer.product),
    }
    response = render(request, "storefront/product.html", context)
    suggested = [s.offer for s in suggestions.items] if suggestions else []
    return cache_tags.tag(response, cache_tags.of_offers([offer], suggested))


@origin_checked
@require_POST
def recently_viewed(request, slug: str):
    """The product page's "Recently viewed" row, asked for by its script; counts the view.

    Apart from the page, which caches share between visitors (http_cache.py):
    the row is the visitor's own, and a view served from a cache must count
    too. Posted, since it records something; checked by origin, since the
    shared page holds no CSRF token. 204 when there is nothing to show.
    """
    found = catalog_api.product_by_slug(slug=slug)
    if found is None:
        raise Http404("No such product.")
    row = composition.recently_viewed_for(
        product_id=found.id,
        currency=currency_of(request),
        shopper=shopper_of(request),
        viewer=viewer_of(request),
    )
    if not row:
        response = HttpResponse(status=204)
    else:
        response = render(request, "storefront/partials/recently_viewed.html", {"row": row})
    add_never_cache_headers(response)  # the visitor's own: no cache keeps it
    return response


def _reviews(request, product) -> dict:
    """The rating near the title and the reviews section; both left out if reviews is down.

    Every shopper's section: no viewer's own votes, since the page is shared (page_cache.py).
    """
    section = composition.reviews_section(
        product=product, params=dict(request.GET.lists()), viewer_id=None
    )
    if section is None:
        return {}
    if section.reviews is None:
        return {"rating": section.rating}
    reviews = section.reviews
    return {"rating": section.rating, "reviews": reviews, **reviews_context(request, reviews)}


@origin_checked
@require_POST
def set_currency(request):
    """The currency switcher: remember the choice and go back to the page it was made on.

    Without a CSRF token: the switcher is on every page, and a token in it
    would make every page unshareable by an HTTP cache; a switch from
    another site is refused by its origin instead (kernel/csrf.py).

    An unknown currency is ignored (the page reloads unchanged). The cart
    follows on its next read (orders re-quotes it in the new currency).
    The price segment cookie goes with the old currency: kept, it would
    fetch the old currency's shared copies from the cache in front, which
    keys them by that cookie; the next page names the new segment.
    """
    response = back_to_next(request, "storefront:home")
    if (currency := request.POST.get("currency", "")) in shop_currencies():
        remember_currency(response, currency)
        response.delete_cookie(SEGMENT_COOKIE, samesite="Lax")
    return response
