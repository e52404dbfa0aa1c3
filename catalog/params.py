"""Reading a listing request's query parameters into a ListingQuery.

One parser for the storefront and the API, which differ only in what they
do with a bad value: the storefront ignores it and applies the default,
the API answers 400 naming the parameter. Parameters:

``q`` text; ``category`` slug; ``brand`` slug (repeatable);
``attr_<code>`` choice slug (repeatable; e.g. ``attr_colour=red``), or
``yes``/``no`` for a yes/no attribute (``attr_organic=yes``);
``price`` ``LOW-HIGH`` (either side may be empty); ``in_stock`` 1/0;
``rating`` 1-4 (that many stars and up, from reviews' projected average);
``sort`` relevance|newest|price_asc|price_desc|title|rating; ``page``; ``per_page``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from catalog.dtos import AttributeFilter, ListingQuery, ParsedListingQuery, Sort
from catalog.models import Attribute, Category
from kernel.quantities import whole_number
from kernel.rest import UNKNOWN_PARAMETER

PER_PAGE_CHOICES = (12, 24, 48, 96)
MAX_QUERY_LENGTH = 200
#: The highest page number read (a larger one is a 400, not a page past the end).
MAX_PAGE = 99_999
#: A price band, ``LOW-HIGH``: whole amounts or with cents, either side may
#: be empty. Matched as given (not stripped, ASCII digits only), exactly
#: as the schema's pattern says (catalog/openapi.py), so what the schema
#: calls invalid is refused.
PRICE_PATTERN = r"^(([0-9]{1,9}(\.[0-9]{1,2})?)?-([0-9]{1,9}(\.[0-9]{1,2})?)?)?$"
KNOWN = {"q", "category", "brand", "price", "in_stock", "rating", "sort", "page", "per_page"}
#: Parameters that take one value; ``brand`` and ``attr_<code>`` may be repeated.
ONCE = KNOWN - {"brand"}
#: "N stars & up" filters a listing offers.
RATING_MINIMUMS = (4, 3, 2, 1)


def parse(
    params: Mapping[str, Sequence[str]], *, currency: str, default_per_page: int = 24
) -> ParsedListingQuery:
    """The query the parameters describe (bad values left at their default) and the errors."""
    errors: dict[str, str] = {}
    missing: dict[str, str] = {}
    values = {}

    def raw(name: str) -> str:
        return (params.get(name) or [""])[-1]

    def one(name: str) -> str:
        return raw(name).strip()

    if len(raw("q")) > MAX_QUERY_LENGTH:
        errors["q"] = f"at most {MAX_QUERY_LENGTH} characters"
    # A page, which shows what it could read, searches what fits rather than showing
    # every product as if nothing had been typed (the API refuses it: the error).
    values["q"] = one("q")[:MAX_QUERY_LENGTH]
    if category := one("category"):
        if Category.objects.filter(slug=category).exists():
            values["category"] = category
        else:
            missing["category"] = f"no category {category!r}"
    values["brands"] = tuple(b for b in params.get("brand", []) if b)
    _attributes(params, values, errors)
    _price(raw("price"), values, errors)
    _choices(params, one, values, errors)
    for name in params:
        if name not in KNOWN and not name.startswith("attr_"):
            errors[name] = UNKNOWN_PARAMETER  # the words of every other route
        elif name in ONCE and len(params[name]) > 1:
            errors[name] = "give it once"  # which one was meant? (the storefront takes the last)
    values.setdefault("per_page", default_per_page)
    return ParsedListingQuery(
        query=ListingQuery(currency=currency, **values), errors=errors, missing=missing
    )


#: Parameters that take one of a few values; sent empty, they are an error (the
#: schema allows no empty value), as the storefront then shows the default anyway.
CHOICES = ("in_stock", "rating", "sort", "page", "per_page")


def _choices(params, one, values: dict, errors: dict) -> None:
    """in_stock, rating, sort, page and per_page: each one of a few allowed values."""
    for name in CHOICES:
        if name in params and not one(name):
            errors[name] = "a value, or leave the parameter out for the default"
    in_stock = one("in_stock").lower()
    if in_stock in ("1", "true", "yes"):
        values["in_stock"] = True
    elif in_stock not in ("", "0", "false", "no"):
        errors["in_stock"] = "1 or 0 (true or false, yes or no)"
    if rating := one("rating"):
        if (stars := whole_number(rating)) in RATING_MINIMUMS:
            values["rating_min"] = stars
        else:
            errors["rating"] = "1, 2, 3 or 4 (stars and up)"
    if sort := one("sort"):
        try:
            values["sort"] = Sort(sort)
        except ValueError:
            errors["sort"] = f"one of {', '.join(Sort)}"
    _positive("page", one("page"), values, errors)
    if per_page := one("per_page"):
        if (count := whole_number(per_page)) in PER_PAGE_CHOICES:
            values["per_page"] = count
        else:
            errors["per_page"] = f"one of {', '.join(map(str, PER_PAGE_CHOICES))}"


def _attributes(params, values: dict, errors: dict) -> None:
    wanted = {
        name.removeprefix("attr_"): tuple(s for s in params[name] if s)
        for name in params
        if name.startswith("attr_")
    }
    if not wanted:
        return
    kinds = dict(
        Attribute.objects.filter(
            code__in=wanted, kind__in=[Attribute.Kind.CHOICE, Attribute.Kind.BOOLEAN]
        ).values_list("code", "kind")
    )
    for code, slugs in wanted.items():
        if code not in kinds:
            errors[f"attr_{code}"] = f"no choice or yes/no attribute {code!r}"
        elif kinds[code] == Attribute.Kind.BOOLEAN and not set(slugs) <= {"yes", "no"}:
            errors[f"attr_{code}"] = "yes or no"
            del kinds[code]
    known = set(kinds)
    values["attributes"] = tuple(
        AttributeFilter(code=code, slugs=slugs)
        for code, slugs in sorted(wanted.items())
        if code in known and slugs
    )


def _price(raw: str, values: dict, errors: dict) -> None:
    if not raw:
        return
    if re.fullmatch(PRICE_PATTERN, raw) is None:
        errors["price"] = "LOW-HIGH, e.g. 10-25, 9.99-20 or 100-"
        return
    # LOW above HIGH is a band nothing is priced in, answered with no products
    # rather than refused: the API's schema (a pattern) cannot say LOW <= HIGH,
    # and a request the schema allows is not a 400 (docs/api.md).
    low, high = (Decimal(b) if b else None for b in raw.split("-"))
    values["price_min"], values["price_max"] = low, high


def _positive(name: str, raw: str, values: dict, errors: dict) -> None:
    if not raw:
        return
    # ASCII digits only: int() also reads fullwidth and Arabic-Indic digits, which no
    # schema integer means.
    if (number := whole_number(raw)) is not None and 0 < number <= MAX_PAGE:
        values[name] = number
    else:
        errors[name] = "a positive whole number"
