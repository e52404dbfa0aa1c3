"""Links of the product page's reviews section: sort orders, star filters and pages.

Like a listing's links (listing.py), each is the current URL with one
parameter changed and the page reset, so the chosen variant (``sku``)
and the other choices survive, and the back button works.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reviews.dtos import ReviewPage, ReviewSort
from storefront.listing import Link

SORT_LABELS = {
    ReviewSort.HELPFUL: _("Most helpful"),
    ReviewSort.NEWEST: _("Newest"),
    ReviewSort.HIGHEST: _("Highest rating"),
    ReviewSort.LOWEST: _("Lowest rating"),
}


def _url(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}#reviews" if encoded else "?#reviews"


def reviews_context(request, reviews: ReviewPage) -> dict:
    query = reviews.query
    page_params = request.GET.copy()
    page_params.pop("page", None)
    return {
        "review_sort_links": [
            Link(label, _url(request, sort=sort.value), sort is query.sort)
            for sort, label in SORT_LABELS.items()
        ],
        "review_star_links": [
            Link(
                _("All stars"),
                _url(request, stars=None),
                query.stars is None,
                reviews.summary.count,
            ),
            *(
                Link(
                    ngettext("%(n)s star", "%(n)s stars", bar.stars) % {"n": bar.stars},
                    _url(request, stars=str(bar.stars)),
                    query.stars == bar.stars,
                    bar.count,
                )
                for bar in reviews.summary.bars
            ),
        ],
        "review_page_query": f"{page_params.urlencode()}&" if page_params else "",
    }
