"""Reading which page of a product's reviews a URL asks for.

One parser for the product page and the API, which differ only in what
they do with a bad value: the page ignores it, the API answers 400 naming
the parameter. ``sort`` helpful|newest|highest|lowest; ``stars`` 1-5 (only
reviews with that rating); ``page`` a positive number. Other parameters
are not the reviews' business and are left alone here: the page has its own,
and the API refuses any other than ``NAMES``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reviews.dtos import RATINGS, ReviewQuery, ReviewSort

#: The parameters read here.
NAMES = ("sort", "stars", "page")
MAX_PAGE = 100_000
#: The highest page number read (the schema's maximum).
LAST_PAGE = MAX_PAGE - 1


def parse(params: Mapping[str, Sequence[str]]) -> tuple[ReviewQuery, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict = {}

    def one(name: str) -> str | None:
        """The value as given (a blank one too: the schema's enums have none), or None; given
        more than once, it names no value (as ``kernel.rest.read_query`` says)."""
        given = params.get(name) or []
        if len(given) > 1:
            errors[name] = "Give this parameter once."
            return None
        return given[0] if given else None

    if (sort := one("sort")) is not None:
        try:
            values["sort"] = ReviewSort(sort)
        except ValueError:
            errors["sort"] = f"one of {', '.join(ReviewSort)}"
    if (stars := one("stars")) is not None:
        if stars.isascii() and stars.isdigit() and int(stars) in RATINGS:
            values["stars"] = int(stars)
        else:
            errors["stars"] = "a rating from 1 to 5"
    if (page := one("page")) is not None:
        if page.isascii() and page.isdigit() and 0 < int(page) < MAX_PAGE:
            values["page"] = int(page)
        else:
            errors["page"] = "a positive whole number"
    return ReviewQuery(**values), errors
