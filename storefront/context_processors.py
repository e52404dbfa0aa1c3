"""What every storefront page's layout shows: the top categories, the currency switcher.

Lazy, so pages that do not show the header (the admin) do not query.
"""

from django.utils.functional import SimpleLazyObject

from catalog import api as catalog_api
from kernel.currency import currency_of, shop_currencies


def navigation(request) -> dict:
    return {
        "top_categories": SimpleLazyObject(catalog_api.category_tree),
        "currency": currency_of(request),
        "currencies": shop_currencies(),
    }
