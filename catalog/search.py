"""Matching and ranking products against the words a shopper typed.

PostgreSQL: first, each word of four letters or more that matches nothing
in the catalogue is replaced by the closest word of its vocabulary, the
words of the products' titles (``catalog_searchword``, kept by triggers of
migration 0008), by ``pg_trgm`` similarity through a trigram index on
that small table: "swaeter" becomes "sweater", "zebra" stays "zebra" when
no title word looks like it. Then every word must match in the weighted
full-text ``search_vector`` (title A, brand/categories/attributes B,
description C; English stemming) as a prefix ("espr" finds espresso),
through its GIN index (catalog/tests/test_search_plan.py). Rank = ts_rank
of any word. Correcting the words rather than matching titles that look
like them keeps a typo as cheap as a word spelt right: the typo path once
read every title resembling the word, thousands at 100,000 products.

SQLite (embedded default) has neither, so it falls back to: every word
must occur (case-insensitively, anywhere, which covers prefixes) in the
title, keywords or description; a word that occurs nowhere in the catalog
is replaced by the closest word of the catalog's vocabulary (difflib), which
gives typo tolerance for a demo-sized shop. Rank: title hits weigh 3,
keyword hits 2, description hits 1. The vocabulary is built from all
titles and keywords, so this fallback is meant for small catalogs only.

Either way a corrected query is returned, for the page to say "showing
results for ...".
"""

from __future__ import annotations

import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from catalog.indexing import SEARCH_CONFIG
from catalog.models import Product
from kernel.databases import connection_of

#: Shorter words are never corrected: too few trigrams for similarity to mean anything.
MIN_FUZZY_LENGTH = 4
MAX_WORDS = 8
#: Words the SQLite fallback ignores (PostgreSQL uses its English dictionary's list).
STOP_WORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)


def words(text: str) -> list[str]:
    """The words of a query, lower-cased, at most MAX_WORDS (a search box, not an essay)."""
    return _tokens(text)[:MAX_WORDS]


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def match(queryset: QuerySet[Product], text: str) -> tuple[QuerySet[Product], str | None]:
    """Products matching ``text``, annotated with ``relevance``; and a corrected text, if any.

    A text without a word to look for ("🎉", "!!!") matches nothing: it asked for
    something, and every product is not an answer to it.
    """
    terms = words(text)
    if not terms:
        # False for every row yet still SQL (``none()`` is not: the facets compile the query).
        nothing = queryset.filter(pk__isnull=True)
        return nothing.annotate(relevance=Value(0.0, output_field=FloatField())), None
    if connection_of("catalog").vendor == "postgresql":
        corrected = _corrected(terms)
        changed = " ".join(corrected) if corrected != terms else None
        return _postgres(queryset, corrected), changed
    return _fallback(queryset, terms)


def _postgres(queryset: QuerySet[Product], terms: list[str]) -> QuerySet[Product]:
    """Products whose vector matches every word as a prefix, ranked by ts_rank of any word.

    One condition on the row, ``search_vector @@ <every word>``, so the
    planner reads the matches through the GIN index in one bitmap scan. A
    query of stop words only ("the") is an empty tsquery, which would
    match nothing: it matches everything instead, as an empty search box
    does (``numnode`` of a constant query is folded when it is planned, so
    the OR costs the index nothing).
    """
    every = " & ".join(f"{term}:*" for term in terms)
    condition = RawSQL(
        "(search_vector @@ to_tsquery(%s::regconfig, %s)"
        " OR numnode(to_tsquery(%s::regconfig, %s)) = 0)",
        [SEARCH_CONFIG, every] * 2,
        output_field=BooleanField(),
    )
    relevance = SearchRank(
        F("search_vector"),
        SearchQuery(" | ".join(f"{t}:*" for t in terms), search_type="raw", config=SEARCH_CONFIG),
    )
    return queryset.filter(condition).annotate(relevance=relevance)


def _corrected(terms: list[str]) -> list[str]:
    """``terms``, each long word that matches no product replaced by the closest title word.

    One query whatever the words: per long word, whether the full-text
    index knows it (or it is a stop word), else the most similar word of
    ``catalog_searchword`` by trigram similarity (``%``, at pg_trgm's
    default ``similarity_threshold`` of 0.3) through that table's trigram
    index. Every word is its own arm with constant arguments, so each
    lookup is planned for its word. A word with no close one is kept.
    """
    arms, params = [], []
    for position, term in enumerate(terms):
        if len(term) >= MIN_FUZZY_LENGTH:
            arms.append(_CORRECTION)
            prefix = f"{term}:*"
            params += [SEARCH_CONFIG, prefix, position, SEARCH_CONFIG, prefix, term, term]
    if not arms:
        return terms
    corrected = list(terms)
    with connection_of("catalog").cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        for position, closest in cursor.fetchall():
            if closest:
                corrected[position] = closest
    return corrected


#: One word's correction: NULL when the word matches as it is (or is a stop word). The
#: products that match are a materialised CTE, so that the full-text index is read for
#: them (a bitmap, then the first row): asked with a plain EXISTS, PostgreSQL may take a
#: word for a common one and look for its first product by reading the table.
_CORRECTION = """
    (WITH found AS MATERIALIZED (
        SELECT id FROM catalog_product WHERE search_vector @@ to_tsquery(%s::regconfig, %s)
    )
    SELECT %s, CASE
        WHEN numnode(to_tsquery(%s::regconfig, %s)) = 0 OR EXISTS (SELECT FROM found) THEN NULL
        ELSE (SELECT word FROM catalog_searchword WHERE word %% %s
              ORDER BY similarity(word, %s) DESC, word LIMIT 1)
    END)
"""


def _fallback(
    queryset: QuerySet[Product], terms: list[str]
) -> tuple[QuerySet[Product], str | None]:
    terms = [term for term in terms if term not in STOP_WORDS] or terms
    corrected = [_known_or_closest(term) for term in terms]
    score = Value(0)
    for term in corrected:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(search_keywords__icontains=term)
            | Q(description__icontains=term)
        )
        score = score + Case(
            When(title__icontains=term, then=Value(3)),
            When(search_keywords__icontains=term, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    changed = " ".join(corrected) if corrected != terms else None
    return queryset.annotate(relevance=score), changed


def _known_or_closest(term: str) -> str:
    """``term`` if some product contains it, else the closest catalog word (or itself)."""
    found = Product.objects.filter(
        Q(title__icontains=term)
        | Q(search_keywords__icontains=term)
        | Q(description__icontains=term)
    )
    if found.exists():
        return term
    vocabulary = set()
    for title, keywords in Product.objects.values_list("title", "search_keywords"):
        vocabulary.update(_tokens(f"{title} {keywords}"))
    close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.75)
    return close[0] if close else term
