"""What every storefront page's layout shows: top categories, currency and language switchers.

Lazy, so pages that do not show the header (the admin) do not query.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject

from catalog import api as catalog_api
from kernel.currency import currency_of, shop_currencies


@dataclass(frozen=True)
class LanguageLink:
    """This page in one language: the switcher's link and its hreflang alternate.

    ``switch_url`` keeps the query (the shopper stays on the same listing,
    filters and all); ``page_url`` is absolute and without the query, as
    search engines want the alternates of a page.
    """

    code: str
    name: str
    switch_url: str
    page_url: str


def language_links(request) -> list[LanguageLink]:
    """The current page in each of ``settings.LANGUAGES``; no query is made.

    ``translate_url`` resolves the path and reverses it under the other
    language's prefix; a path it cannot resolve (a 404) comes back unchanged,
    so there the links lead to the same address.
    """
    return [
        LanguageLink(
            code=code,
            name=name,
            switch_url=translate_url(request.get_full_path(), code),
            page_url=request.build_absolute_uri(translate_url(request.path, code)),
        )
        for code, name in settings.LANGUAGES
    ]


def navigation(request) -> dict:
    return {
        "top_categories": SimpleLazyObject(catalog_api.category_tree),
        "currency": currency_of(request),
        "currencies": shop_currencies(),
        "languages": SimpleLazyObject(lambda: language_links(request)),
    }
