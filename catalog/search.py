"""Matching and ranking products against the words a shopper typed.

PostgreSQL: every word must match, either in the weighted full-text
``search_vector`` (title A, brand/categories/attributes B, description C;
English stemming) as a prefix ("espr" finds espresso), or, for words of
four letters or more, by ``pg_trgm`` word similarity to a title word, so
that typos still match ("expresso", "swaeter"). Rank = ts_rank of any word
+ the trigram similarities.

SQLite (embedded default) has neither, so it falls back to: every word
must occur (case-insensitively, anywhere, which covers prefixes) in the
title, keywords or description; a word that occurs nowhere in the catalog
is replaced by the closest word of the catalog's vocabulary (difflib), which
gives typo tolerance for a demo-sized shop. Rank: title hits weigh 3,
keyword hits 2, description hits 1. The vocabulary is built from all
titles and keywords, so this fallback is meant for small catalogs only.
"""

from __future__ import annotations

import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When

from catalog.indexing import SEARCH_CONFIG
from catalog.models import Product
from kernel.databases import connection_of

#: pg_trgm word similarity above which a title word is taken to be a misspelt word.
TRIGRAM_THRESHOLD = 0.3
#: Shorter words have too few trigrams for similarity to mean anything.
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
    """Products matching ``text``, annotated with ``relevance``; and a corrected text, if any."""
    terms = words(text)
    if not terms:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField())), None
    if connection_of("catalog").vendor == "postgresql":
        return _postgres(queryset, terms), None
    return _fallback(queryset, terms)


def _postgres(queryset: QuerySet[Product], terms: list[str]) -> QuerySet[Product]:
    """Every word must match: as a (stemmed) prefix in the vector, or, if it is long
    enough for trigrams to mean something, as a near-spelling of a title word."""
    relevance = SearchRank(
        F("search_vector"),
        SearchQuery(" | ".join(f"{t}:*" for t in terms), search_type="raw", config=SEARCH_CONFIG),
    )
    for index, term in enumerate(terms):
        query = SearchQuery(f"{term}:*", search_type="raw", config=SEARCH_CONFIG)
        # A stop word ("the") makes an empty query, which matches nothing: let it pass.
        stop_word = Func(query, function="numnode", output_field=IntegerField())
        queryset = queryset.annotate(**{f"_stop_{index}": stop_word})
        matches = Q(search_vector=query) | Q(**{f"_stop_{index}": 0})
        if len(term) >= MIN_FUZZY_LENGTH:
            similarity = TrigramWordSimilarity(term, "title")
            queryset = queryset.annotate(**{f"_similarity_{index}": similarity})
            matches |= Q(**{f"_similarity_{index}__gte": TRIGRAM_THRESHOLD})
            relevance = relevance + F(f"_similarity_{index}")
        queryset = queryset.filter(matches)
    return queryset.annotate(relevance=relevance)


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
