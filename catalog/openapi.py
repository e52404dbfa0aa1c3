"""The listing's query parameters as OpenAPI parameters (catalog/params.py reads them).

Every endpoint that reads a listing with ``api.listing_query_from_params``
(the catalog's product list, the gateway's search) documents them with
``extend_schema(parameters=api.listing_parameters())``, so the schema
states the parser's own types, choices and limits, taken from its
constants, and a property-based client generates values it accepts.

``attr_<code>`` parameters cannot be listed: their names are the
merchant's attribute codes. OpenAPI 3.0 has no parameter-name pattern, so
they are described in the operation's text (``ATTRIBUTE_FILTERS``).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from catalog.dtos import Sort
from catalog.params import (
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    PER_PAGE_CHOICES,
    PRICE_PATTERN,
    RATING_MINIMUMS,
)

ATTRIBUTE_FILTERS = (
    "Attribute filters: `attr_<code>=<value slug>` keeps products whose choice attribute "
    "`<code>` has that value (repeatable, e.g. `attr_colour=red&attr_colour=blue`), or "
    "`attr_<code>=yes` / `no` for a yes/no attribute. The codes and slugs are the `param` "
    "and `value` of the search's `facets`; an unknown code is a 400 naming the parameter."
)

#: The answer to a ``category`` that names no category.
NO_SUCH_CATEGORY = OpenApiResponse(description="No category has the slug given as `category`.")


def parameters() -> list[OpenApiParameter]:
    query = OpenApiParameter.QUERY
    return [
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            query,
            description="Words to search for.",
        ),
        OpenApiParameter(
            "category",
            OpenApiTypes.STR,
            query,
            description="A category's slug: its products and its subcategories'. "
            "An unknown slug is a 404.",
        ),
        OpenApiParameter(
            "brand",
            {"type": "array", "items": {"type": "string"}},
            query,
            explode=True,
            style="form",
            description="A brand's slug; repeat it for any of several brands.",
        ),
        OpenApiParameter(
            "price",
            {"type": "string", "pattern": PRICE_PATTERN},
            query,
            description="A price band `LOW-HIGH` in the listing's currency, either side "
            "may be empty (`10-25`, `100-`, `-20`); LOW above HIGH is a 400.",
        ),
        OpenApiParameter(
            "in_stock", OpenApiTypes.BOOL, query, description="true: only what can be bought now."
        ),
        OpenApiParameter(
            "rating",
            OpenApiTypes.INT,
            query,
            enum=sorted(RATING_MINIMUMS),
            description="That many stars and up (the average of published reviews).",
        ),
        OpenApiParameter(
            "sort",
            OpenApiTypes.STR,
            query,
            enum=[sort.value for sort in Sort],
            description="The order; by default relevance with `q`, else newest.",
        ),
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            query,
            description="From 1.",
        ),
        OpenApiParameter(
            "per_page",
            OpenApiTypes.INT,
            query,
            enum=list(PER_PAGE_CHOICES),
            description="Products on a page.",
        ),
    ]
