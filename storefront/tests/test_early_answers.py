"""storefront/early_answers.py: a newcomer's kept page, answered before sessions, URL
resolution and the view, is the answer the page's view would have given."""

import gzip
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.test import Client, RequestFactory

from kernel.tests.scrape import in_process
from storefront import early_answers, page_cache
from tests.builders import priced, sweater, upsert
from tests.outages import live_redis_cache

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


@pytest.mark.parametrize("url", [PAGES[0], PAGES[-1]])  # the header is rendered per language
def test_a_page_first_composed_for_a_signed_in_shopper_is_answered_early_to_newcomers(
    on_sale, url, django_user_model, down_the_stack
):
    """Whoever composes a page first, the kept copy holds the header a newcomer's page
    would: a surge's newcomers are answered early from the first copy on."""
    shopper = Client()
    shopper.force_login(django_user_model.objects.create_user("ann", password="pw"))
    shopper.get(url)
    early = _answer(Client(), url)
    assert down_the_stack == [url.partition("?")[0]]  # only the shopper's page was composed
    cache.clear()
    page_cache.answerable.clear()
    Client().get(url)  # composed for a newcomer this time
    assert _answer(Client(), url) == early


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


def test_a_page_not_kept_yet_costs_the_early_answer_no_lookup(on_sale, monkeypatch):
    looked = []
    monkeypatch.setattr(early_answers, "_kept_answer", looked.append)
    assert Client().get("/c/clothing/").status_code == 200
    assert looked == []
    assert Client().get("/c/clothing/").status_code == 200
    assert len(looked) == 1


# --- The API's product detail, kept whole for a client the shop does not know ---------

API_DETAIL = "/api/v1/products/SW-1/"


def _api_answer(client: Client, **headers):
    """What the app gets, unzipped (gzip adds random bytes to every answer against BREACH)."""
    status, content, kept, cookies = _answer(client, API_DETAIL, **headers)
    if kept.pop("Content-Encoding", None) == "gzip":
        content = gzip.decompress(content)
        kept.pop("Content-Length")
    return status, json.loads(content), kept, cookies


@pytest.mark.parametrize("encoding", ["", "gzip"])
@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_the_api_detail_is_answered_early_exactly_as_its_view_answers_it(
    on_sale, settings, down_the_stack, encoding, accept
):
    headers = {"Accept-Encoding": encoding} | ({"Accept": accept} if accept else {})
    Client().get(API_DETAIL)  # composed and kept for a client the shop does not know
    early = _api_answer(Client(), **headers)
    assert early[0] == 200
    assert "Accept-Encoding" in early[2]["Vary"]
    assert early[2]["Allow"] == "GET, HEAD, OPTIONS"
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    assert _api_answer(Client(), **headers) == early
    assert len(down_the_stack) == 2  # composed, then the stack's answer


@pytest.mark.parametrize(
    ("cookies", "headers"),
    [
        ({"visitor_id": "0123456789abcdef0123456789abcdef"}, {}),
        ({}, {"Accept": "text/html"}),
        ({}, {"Accept": ""}),
        ({}, {"Authorization": "Token abc"}),
    ],
    ids=["known visitor", "not json", "empty accept", "authorization"],
)
def test_an_api_client_the_view_must_see_goes_down_the_stack(
    on_sale, monkeypatch, cookies, headers
):
    """A visitor the shop knows counts the view; DRF negotiates what is not plainly JSON."""
    Client().get(API_DETAIL)
    looked = []
    monkeypatch.setattr(page_cache, "newcomers_page", lambda *args: looked.append(args))
    app = Client()
    app.cookies.load(cookies)
    assert app.get(API_DETAIL, headers=headers).status_code in (200, 401, 406)
    assert looked == []


@pytest.mark.usefixtures("either_cache")
def test_the_anonymous_throttle_counts_each_api_read_once_early_or_not(on_sale, settings):
    """The first read is composed, the next two answered early: the third is refused by
    DRF, with its problem and Retry-After, as without early answers."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                   "anon": "3/day"},  # no window ends during the test
    }  # fmt: skip
    answers = [Client().get(API_DETAIL) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    refused = answers[-1]
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600


@pytest.fixture(params=["local-memory", pytest.param("redis", marks=pytest.mark.services)])
def either_cache(request):
    """Each test on the local-memory cache and on the shop's Redis backend, which counts
    the throttle's read in the round trip that looks for the kept answer."""
    if request.param == "local-memory":
        yield
    else:
        with live_redis_cache():
            yield


@pytest.mark.usefixtures("either_cache")
def test_a_read_whose_kept_answer_is_stale_is_counted_once_on_its_way_down(
    on_sale, settings, down_the_stack
):
    """The look for the kept answer counts the read; when the answer is stale, the read
    goes on to the view, and DRF's throttle takes that count instead of counting again."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                   "anon": "3/day"},  # no window ends during the test
    }  # fmt: skip
    first = Client().get(API_DETAIL)  # composed and kept
    priced("SW-1-M", "41.00", 5)  # the kept answer is stale now
    answers = [first, *(Client().get(API_DETAIL) for _ in range(3))]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert len(down_the_stack) == 2  # the second read looked early, then was composed


@pytest.mark.parametrize("url", [*PAGES, "/api/v1/products/SW-1-M/", "/cart/"])
def test_a_head_is_answered_without_a_body_kept_or_not(on_sale, url):
    """Early answers and the stack's alike (kernel/edge.py): the Django test client would
    drop the body itself, so the whole middleware stack is called here without it."""
    Client().get(url)  # kept, where it may be
    stack = BaseHandler()
    stack.load_middleware()
    factory = RequestFactory()
    get, head = (stack.get_response(ask(url)) for ask in (factory.get, factory.head))
    assert (get.status_code, head.status_code) == (200, 200)
    assert get.content
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))
