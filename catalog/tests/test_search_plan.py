"""Search at scale: every query of a search listing reads products through an index.

Proven on PostgreSQL with a few thousand generated products (analysed),
each word in about one product in twenty as in a real catalogue (the
bench's words are in 3-9 %), sequential scans priced out
(``enable_seqscan = off``) and each query's executed plan (``EXPLAIN
ANALYZE``): no product row is tested against a word unless a search index
found it (a full-text match ORed with a trigram similarity *function*, as
search once was, tests every row); a correctly spelt search reads the
full-text index and never the vocabulary's trigram index; a misspelt word
is corrected through that index, then matched through the full-text one.
How the planner joins the matches to the rest at this size is its
business (bench/search_scale.py measures 100,000 products).

The vocabulary gets the size of a real catalogue's (thousands of words,
here made up, beside the products' own): a table of forty words is read
whole, whatever its index. The generated entries are moved out of the
GIN indexes' pending lists
first, as VACUUM does in production: the planner prices a GIN index by its
pending list too, and one just filled by the generation makes it prefer
any other index.
"""

import itertools

import pytest
from django.utils import timezone

from catalog import api
from catalog.dtos import ListingQuery
from catalog.indexing import search_vector
from catalog.models import Category, Product
from kernel.databases import connection_of
from kernel.tests.queries import captured_queries

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("structure", "uncached")]

MATERIALS = ["Wool", "Linen", "Copper", "Cotton", "Cast Iron", "Oak", "Bamboo", "Steel", "Silk"]
MATERIALS += ["Walnut", "Leather", "Glass", "Marble", "Denim", "Velvet", "Enamel", "Jute", "Clay"]
THINGS = ["Sweater", "Shirt", "Pan", "Kettle", "Spoon", "Scarf", "Bowl", "Blanket", "Mug", "Lamp"]
THINGS += ["Chair", "Table", "Jacket", "Vase", "Knife", "Teapot", "Cushion", "Rug", "Candle", "Wok"]
STYLES = ["Classic", "Nordic", "Rustic", "Modern", "Heritage", "Urban", "Coastal"]
PRODUCTS = 3000


@pytest.fixture
def catalogue():
    connection = connection_of("catalog")
    if connection.vendor != "postgresql":
        pytest.fail("this test needs the catalog's database on PostgreSQL")
    category = Category.objects.get(slug="kitchen")
    names = itertools.cycle(itertools.product(STYLES, MATERIALS, THINGS))
    now = timezone.now()
    Product.objects.bulk_create(
        Product(
            sku=f"GEN-{n}",
            title=f"{style} {material} {thing}",
            slug=f"gen-{n}",
            description=f"A {material.lower()} {thing.lower()} for every day.",
            category=category,
            status=Product.Status.PUBLISHED,
            published_at=now,
        )
        for n, (style, material, thing) in zip(range(PRODUCTS), names, strict=False)
    )
    Product.objects.update(search_vector=search_vector())
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_searchword (word)"
            " SELECT substr(md5(n::text), 1, 9) FROM generate_series(1, 5000) AS n"
            " ON CONFLICT DO NOTHING"
        )
        for index in SEARCH_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE catalog_product")
        cursor.execute("ANALYZE catalog_searchword")
    return connection


def plans(connection, q: str) -> list[dict]:
    """The executed plan of every query of a search listing with facets that matches words."""
    with captured_queries(only=connection) as captured:
        api.listing(query=ListingQuery(q=q), with_facets=True)
    statements = [s["sql"] for s in captured.captured_queries if "@@" in s["sql"]]
    assert len(statements) == 2  # the words' correction; the facets, the count and the page
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sql in statements:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                (plan,) = cursor.fetchone()[0]
                found.append(plan["Plan"])
        finally:
            cursor.execute("RESET enable_seqscan")
    return found


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def scans(plan: dict, index: str) -> list[dict]:
    return [n for n in nodes(plan) if n.get("Index Name") == index]


FULL_TEXT = "catalog_product_search_vector_gin"
VOCABULARY = "catalog_searchword_trgm_gin"
SEARCH_INDEXES = {FULL_TEXT, VOCABULARY}


def found_by_a_search_index(node: dict) -> bool:
    """A read of the rows a search index found (a bitmap of the search indexes only)."""
    used = {n.get("Index Name") for n in nodes(node) if n["Node Type"] == "Bitmap Index Scan"}
    return node["Node Type"] == "Bitmap Heap Scan" and used and used <= SEARCH_INDEXES


@pytest.mark.parametrize("q", ["wool", "nordic copper kettle", "swaeter", "the lamp"])
def test_words_are_matched_only_on_the_rows_a_search_index_found(catalogue, q):
    """No product row is read to be tested against a word: what once made every query of
    a search read the whole table (a full-text match ORed with a similarity function)."""
    for plan in plans(catalogue, q):
        for node in nodes(plan):
            if node.get("Relation Name") != "catalog_product" or not node["Actual Loops"]:
                continue
            tests_words = any(m in node.get("Filter", "") for m in ("@@", "%>", "similarity"))
            assert not tests_words or found_by_a_search_index(node), node["Filter"]


def test_a_word_spelt_right_reads_the_full_text_index_and_never_the_vocabulary(catalogue):
    for plan in plans(catalogue, "copper kettle"):
        assert scans(plan, FULL_TEXT)
        assert all(n["Actual Loops"] == 0 for n in scans(plan, VOCABULARY))


def test_a_misspelt_word_is_corrected_through_the_vocabulary_then_found_by_full_text(catalogue):
    result = api.listing(query=ListingQuery(q="copper kettel"))
    assert result.corrected_q == "copper kettle"
    assert result.page.total > 0
    assert {item.title.split()[-1] for item in result.page.items} == {"Kettle"}
    correction, *matches = plans(catalogue, "copper kettel")
    assert any(n["Actual Loops"] > 0 for n in scans(correction, VOCABULARY))
    for plan in matches:
        assert any(n["Actual Loops"] > 0 for n in scans(plan, FULL_TEXT))
