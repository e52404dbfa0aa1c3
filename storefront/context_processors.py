"""What every storefront page's layout shows: the top categories for the header.

Lazy, so pages that do not show the header (the admin) do not query.
"""

from django.utils.functional import SimpleLazyObject

from catalog import api as catalog_api


def navigation(request) -> dict:
    return {"top_categories": SimpleLazyObject(catalog_api.category_tree)}
