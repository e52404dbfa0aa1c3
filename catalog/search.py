"""Matching and ranking products against the words a shopper typed.

PostgreSQL: every word must match in the weighted full-text
``search_vector`` (title A, brand/categories/attributes B, description C;
English stemming) as a prefix ("espr" finds espresso). Only when no
product matches them all, a word of four letters or more may instead match
a title word by ``pg_trgm`` word similarity, so that typos still find
something ("expresso", "swaeter"). Each through its GIN index, never by
reading every product (`_postgres`; catalog/tests/test_search_plan.py).
Rank = ts_rank of any word + the trigram similarities.

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
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from catalog.indexing import SEARCH_CONFIG
from catalog.models import Product
from kernel.databases import connection_of

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
    """Products whose vector matches every word, or, only when none does, products where
    each word matches in the vector or, if long enough, as a near-spelling of a title word.

    The match is ``pk IN (`_MATCH`)``: the products spelt right, read once
    through the GIN index on ``search_vector`` into a materialised CTE; and,
    only when that CTE is empty (a one-time filter: the arm does not run
    otherwise), the fallback, which ORs each long word's full-text condition
    with ``title %> word`` (the trigram GIN index on titles, at the
    connection's ``pg_trgm.word_similarity_threshold``, commerce/config.py).
    Neither arm reads the whole table, and a word spelt right does not also
    bring in every title that looks like it. Raw SQL because Django has no
    CTE: asked with ``EXISTS`` instead, PostgreSQL guesses a full-text match
    common and looks for the first one by scanning the table.
    """
    exact, fuzzy, params, fuzzy_params = [], [], [], []
    for term in terms:
        # A stop word ("the") makes an empty query, which matches nothing: let it pass.
        # numnode of a constant query is folded to a constant when the query is planned.
        exact.append(_WORD)
        params += [SEARCH_CONFIG, f"{term}:*"] * 2
        if len(term) >= MIN_FUZZY_LENGTH:
            fuzzy.append(f"({_WORD} OR title %%> %s)")
            fuzzy_params += [SEARCH_CONFIG, f"{term}:*"] * 2 + [term]
        else:
            fuzzy.append(_WORD)
            fuzzy_params += [SEARCH_CONFIG, f"{term}:*"] * 2
    table = Product._meta.db_table
    sql = _MATCH.format(table=table, exact=" AND ".join(exact), fuzzy=" AND ".join(fuzzy))
    relevance = SearchRank(
        F("search_vector"),
        SearchQuery(" | ".join(f"{t}:*" for t in terms), search_type="raw", config=SEARCH_CONFIG),
    )
    for term in terms:
        if len(term) >= MIN_FUZZY_LENGTH:
            relevance = relevance + TrigramWordSimilarity(term, "title")
    matching = RawSQL(sql, [*params, *fuzzy_params])
    return queryset.filter(pk__in=matching).annotate(relevance=relevance)


#: One word's full-text condition: a prefix match in the vector, or a stop word.
_WORD = (
    "(search_vector @@ to_tsquery(%s::regconfig, %s) OR numnode(to_tsquery(%s::regconfig, %s)) = 0)"
)
_MATCH = """
    WITH spelt_right AS MATERIALIZED (SELECT id FROM {table} WHERE {exact})
    SELECT id FROM spelt_right
    UNION ALL
    SELECT id FROM {table} WHERE NOT EXISTS (SELECT FROM spelt_right) AND {fuzzy}
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
