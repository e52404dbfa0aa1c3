"""Typos are corrected against the catalogue's vocabulary, and the page is told so.

On PostgreSQL the vocabulary is the words of the products' titles, kept by
the database (migration 0008); on SQLite the fallback reads the titles.
"""

import pytest

from catalog import api
from catalog.dtos import ListingQuery
from kernel.databases import connection_of
from tests.builders import product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture
def shop():
    upsert(
        sweater(),
        product("PAN-1", "Copper Pan", category="pans", brand="Coppercraft"),
        product("KET-1", "Copper Kettle", category="kitchen", description="Whistles."),
    )


def search(q: str) -> tuple[list[str], str | None]:
    result = api.listing(query=ListingQuery(q=q), with_facets=True)
    return [item.title for item in result.page.items], result.corrected_q


def test_a_misspelt_word_is_replaced_by_the_closest_title_word(shop):
    assert search("swaeter") == (["Wool Sweater"], "sweater")
    assert search("copper kettel") == (["Copper Kettle"], "copper kettle")


def test_a_word_that_matches_as_typed_is_never_corrected(shop):
    """Not even when it is in no title: a brand, a description's word, a prefix."""
    assert search("coppercraft") == (["Copper Pan"], None)
    assert search("whistles") == (["Copper Kettle"], None)
    assert search("kett") == (["Copper Kettle"], None)


def test_a_word_like_no_title_word_finds_nothing_and_is_kept(shop):
    assert search("zebra") == ([], None)


def test_stop_words_are_not_corrected(shop):
    assert search("copper pan with") == (["Copper Pan"], None)


def test_a_new_title_is_in_the_vocabulary_at_once(shop):
    upsert(sweater(title="Wool Pullover"))
    assert search("pulover") == (["Wool Pullover"], "pullover")


@pytest.mark.services
def test_the_database_keeps_the_title_words_of_inserted_and_retitled_products(shop):
    catalog_db = connection_of("catalog")  # in split mode not ``default``
    if catalog_db.vendor != "postgresql":
        pytest.fail("the vocabulary table is PostgreSQL's")
    upsert(
        product("MUG-1", "Enamel Mug", category="kitchen"),
        product("THR-1", "Wool-Blend Throw (https://example.com)", category="gifts"),
        sweater(title="Wool Cardigan"),
    )
    with catalog_db.cursor() as cursor:
        cursor.execute("SELECT word FROM catalog_searchword ORDER BY word")
        vocabulary = {word for (word,) in cursor.fetchall()}
    assert {"wool", "sweater", "copper", "pan", "kettle", "enamel", "mug", "cardigan"} <= vocabulary
    assert {"blend", "throw"} <= vocabulary
    assert not {"wool-blend", "https://", "example.com"} & vocabulary
    assert not {"coppercraft", "whistles"} & vocabulary  # a brand, a description: not titles
    assert all(word.isalnum() for word in vocabulary), vocabulary  # plain words only
