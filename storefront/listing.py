"""Links of a listing page: facets, sort options and pages, all as URLs.

Every link is the current URL with one parameter changed and the page
reset, so filters combine, can be shared and survive the back button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalog.dtos import FacetValue, Sort
from storefront.composition import OfferPage

SORT_LABELS = {
    Sort.RELEVANCE: _("Best match"),
    Sort.NEWEST: _("Newest"),
    Sort.PRICE_ASC: _("Price: low to high"),
    Sort.PRICE_DESC: _("Price: high to low"),
    Sort.TITLE: _("Name"),
    Sort.RATING: _("Top rated"),
}
#: The names of the catalog's own facets in the shopper's language; an
#: attribute facet (``attr_*``) is named by the merchant's data, as is
#: every category, brand and attribute value.
FACET_NAMES = {
    "category": _("Category"),
    "brand": _("Brand"),
    "price": _("Price"),
    "in_stock": _("Availability"),
    "rating": _("Customer rating"),
}
#: The values of a yes/no attribute facet (their slugs are the catalog's).
YES_NO = {"yes": _("Yes"), "no": _("No")}
#: Parameters that are filters (what "clear all filters" removes).
FILTER_PARAMS = ("brand", "price", "in_stock", "rating", "category")
MULTI_VALUED = ("brand",)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    selected: bool = False
    count: int | None = None


@dataclass(frozen=True)
class FacetLinks:
    name: str
    links: tuple[Link, ...]

    @property
    def items(self) -> SafeString:
        """The facet's list items, made here rather than by a template loop: a search's brand
        facet may list hundreds, each a few microseconds here and tens in a template."""
        return format_html_join(
            "\n",
            '<li><a href="{}" {} rel="nofollow">{}{}</a> <span class="count">{}</span></li>',
            (
                (link.url, _SELECTED if link.selected else "", "✓ " if link.selected else "",
                 link.label, link.count)
                for link in self.links
            ),
        )  # fmt: skip


_SELECTED = mark_safe('class="selected" aria-current="true"')


def _url(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _without_page(request) -> QueryDict:
    params = request.GET.copy()
    params.pop("page", None)
    return params


def _toggling(request, param: str) -> Callable[[str, bool], str]:
    """The URL with one value of ``param`` toggled, as a function of the value and whether it
    is selected now: the current URL without its page and with that value added or taken
    away. The other parameters are encoded once, not once per value (a search's brand facet
    may list hundreds)."""
    params = _without_page(request)
    current = params.getlist(param)
    names = list(params)
    at = names.index(param) if param in names else len(names)
    before, after = QueryDict(mutable=True), QueryDict(mutable=True)
    for index, name in enumerate(names):
        if index != at:
            (before if index < at else after).setlist(name, params.getlist(name))
    around = (before.urlencode(), after.urlencode())
    multi_valued = param in MULTI_VALUED or param.startswith("attr_")

    def toggled(value: str, selected: bool) -> str:
        if multi_valued:
            values = [v for v in current if v != value] + ([] if selected else [value])
        else:
            values = [] if selected else [value]
        own = urlencode([(param, each) for each in values])  # as QueryDict encodes them
        encoded = "&".join(part for part in (around[0], own, around[1]) if part)
        return f"?{encoded}" if encoded else "?"

    return toggled


def _value_label(param: str, value: FacetValue, currency: str) -> str:
    """The label of a value the catalog computed (price band, rating, "in stock", yes/no).

    The catalog's labels are English; the ones it makes up rather than
    reads from its data are said again here in the shopper's language,
    from the value itself (``price``: ``"20-50"`` or ``"100-"``).
    """
    if param == "in_stock":
        return gettext("In stock")
    if param == "rating":
        stars = int(value.value)
        return ngettext("%(n)s star & up", "%(n)s stars & up", stars) % {"n": stars}
    if param == "price":
        low, high = value.value.split("-")
        if high:
            return gettext("%(low)s to %(high)s %(currency)s") % {
                "low": low,
                "high": high,
                "currency": currency,
            }
        return gettext("%(low)s+ %(currency)s") % {"low": low, "currency": currency}
    if param.startswith("attr_") and value.value in YES_NO:  # a yes/no attribute
        return str(YES_NO[value.value])
    return value.label


def _facet_links(request, offers: OfferPage, category_links: bool) -> list[FacetLinks]:
    found = []
    kept = _without_page(request).urlencode()
    for facet in offers.result.facets:
        links = []
        toggled = _toggling(request, facet.param)
        for value in facet.values:
            if facet.param == "category" and category_links:
                # Into a subcategory, keeping the shopper's other filters.
                path = reverse("storefront:category", kwargs={"slug": value.value})
                url = f"{path}?{kept}" if kept else path
            else:
                url = toggled(value.value, value.selected)
            label = _value_label(facet.param, value, offers.result.query.currency)
            links.append(Link(label, url, value.selected, value.count))
        found.append(FacetLinks(FACET_NAMES.get(facet.param, facet.name), tuple(links)))
    return found


def _sort_links(request, offers: OfferPage) -> list[Link]:
    query = offers.result.query
    params = _without_page(request)
    links = []
    for sort, label in SORT_LABELS.items():
        if sort is Sort.RELEVANCE and not query.q:
            continue
        params["sort"] = sort.value
        links.append(Link(label, _url(params), sort is query.effective_sort))
    return links


def _clear_filters_url(request) -> str:
    params = _without_page(request)
    for name in list(params):
        if name in FILTER_PARAMS or name.startswith("attr_"):
            params.pop(name)
    return _url(params)


def listing_context(request, offers: OfferPage, *, category_links: bool) -> dict:
    page_params = _without_page(request)
    query = offers.result.query
    filtered = bool(
        query.brands
        or query.attributes
        or query.in_stock
        or query.price_min
        or query.price_max
        or query.rating_min
    )
    return {
        "offers": offers,
        "query": query,
        "facets": _facet_links(request, offers, category_links),
        "sort_links": _sort_links(request, offers),
        "page_query": f"{page_params.urlencode()}&" if page_params else "",
        "filtered": filtered,
        "clear_filters_url": _clear_filters_url(request),
    }
