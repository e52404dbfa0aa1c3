"""storefront/early_answers.py: a newcomer's kept page, answered before sessions, URL
resolution and the view, is the answer the page's view would have given."""

import pytest
from django.conf import settings
from django.test import Client

from kernel.tests.scrape import in_process
from storefront import early_answers, page_cache
from tests.builders import priced, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

PAGES = [
    "/products/wool-sweater/",
    "/",
    "/c/clothing/",
    "/search/?q=wool",
    "/de/products/wool-sweater/",
]
EARLY = "storefront.early_answers.answer_kept_pages_middleware"
#: Headers that differ between any two answers: when, and which request.
_PER_REQUEST = {"Date", "X-Request-ID"}


@pytest.fixture
def on_sale():
    upsert(sweater(slug="wool-sweater"))
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        priced(sku, "40.00", 5)


@pytest.fixture
def down_the_stack(monkeypatch):
    """Counts the requests that reached a page's view (through the page cache)."""
    reached = []
    served = page_cache.served

    def counted(request, *args, **kwargs):
        reached.append(request.path)
        return served(request, *args, **kwargs)

    monkeypatch.setattr(page_cache, "served", counted)
    return reached


def _answer(client: Client, url: str, **headers):
    """What a shopper gets, but what differs between any two answers: when, which request,
    the visitor's new id and when its cookie expires (a year from now, to the second)."""
    response = client.get(url, headers=headers)
    cookies = {
        name: (
            {k: v for k, v in morsel.items() if k != "expires"},
            name != "visitor_id" and morsel.value,
        )
        for name, morsel in response.cookies.items()
    }
    kept = {name: value for name, value in response.headers.items() if name not in _PER_REQUEST}
    return response.status_code, response.content, kept, cookies


@pytest.mark.parametrize("url", PAGES)
def test_a_kept_page_is_answered_early_exactly_as_its_view_answers_it(
    on_sale, url, settings, down_the_stack
):
    Client().get(url)  # composed and kept: the process may now answer it early
    early = _answer(Client(), url)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    assert _answer(Client(), url) == early
    assert down_the_stack == [url.partition("?")[0]] * 2  # composed, then the stack's answer


@pytest.mark.parametrize("url", PAGES)
def test_a_returning_visitor_is_answered_early_with_the_stacks_304(
    on_sale, url, settings, down_the_stack
):
    visitor = Client()
    etag = visitor.get(url)["ETag"]
    early = _answer(visitor, url, **{"If-None-Match": etag})
    assert early[0] == 304
    assert "public" in early[2]["Cache-Control"]
    assert len(down_the_stack) == 1
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    assert _answer(visitor, url, **{"If-None-Match": etag}) == early


def test_the_early_answer_is_counted_under_its_route(on_sale, down_the_stack):
    """Its URL was never resolved: the route comes with the kept copy."""
    Client().get("/products/wool-sweater/")
    before = in_process()
    assert Client().get("/products/wool-sweater/").status_code == 200
    after = in_process()
    requests = "commerce_http_requests_total"
    assert after.delta(before, requests, route="/products/<slug:slug>/", status="200") == 1
    assert after.delta(before, "commerce_cache_lookup_total", cache="storefront:page") == 1
    assert len(down_the_stack) == 1


@pytest.mark.parametrize(
    ("cookies", "headers", "query"),
    [
        ({settings.SESSION_COOKIE_NAME: "a-session"}, {}, ""),
        ({"messages": "waiting"}, {}, ""),
        ({"django_language": "de"}, {}, ""),
        ({}, {"Authorization": "Token abc"}, ""),
        ({}, {}, "?utm_source=news"),
    ],
    ids=["session", "message", "another cookie", "authorization", "unread parameter"],
)
def test_anything_a_page_might_read_beyond_the_url_goes_down_the_stack(
    on_sale, down_the_stack, cookies, headers, query
):
    Client().get(f"/products/wool-sweater/{query}")
    shopper = Client()
    shopper.cookies.load(cookies)
    assert shopper.get(f"/products/wool-sweater/{query}", headers=headers).status_code in (200, 401)
    assert len(down_the_stack) == 2


def test_what_is_not_a_newcomers_kept_page_costs_the_early_answer_no_lookup(on_sale, monkeypatch):
    """The API's product detail is kept whole too, but its throttle must count every call:
    it is answered by its view. A page not kept yet is not looked for."""
    looked = []
    monkeypatch.setattr(early_answers, "_kept_answer", looked.append)
    for _ in range(2):
        assert Client().get("/api/v1/products/SW-1/").status_code == 200
    assert Client().get("/c/clothing/").status_code == 200
    assert looked == []
    assert Client().get("/c/clothing/").status_code == 200
    assert len(looked) == 1
