"""Shared pytest fixtures.

Browser tests (marked ``browser``) get a ``page`` in Debian's Chromium,
driven by Playwright; a browser is never downloaded. The front cache's
tests run Debian's varnishd (storefront/tests/test_front_cache.py).

Tests marked ``services`` need the real PostgreSQL and Redis. `make test`
runs them with REQUIRE_SERVICES=1, which turns a missing service (or a
missing browser) into a failure instead of a skip, so CI cannot pass by
skipping them. A test that claims a concurrency property asks for the
``postgres`` fixture, which fails on any other database.

In split mode (``DATABASE_URL_<CONTEXT>`` set, ``make pytest-split``) every
test that uses the database may use all of them, since a context's code
reaches its own; and each test database admits only its own role, as the
real ones do (scripts/split-databases).

A transactional test's PostgreSQL database is emptied with DELETE instead
of TRUNCATE (tests/flush.py): what most of a flush cost was TRUNCATE.
"""

import os
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import translation

from kernel import cache_backend, caching
from kernel.tests.queries import captured_queries
from tests import flush, shards

CHROMIUM = Path("/usr/bin/chromium")

flush.install()


#: Fixtures that give a test the database (pytest-django's, and the live server's).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def split_mode() -> bool:
    """Whether some context has a database of its own (kernel.databases)."""
    return bool(settings.CONTEXT_DATABASES)


def pytest_collection_modifyitems(config, items):
    if split_mode() or os.environ.get("ONLY_DATABASE_TESTS") == "1":
        _keep_what_this_run_adds(config, items)
    _keep_own_shard(config, items, os.environ.get("TEST_SHARD", ""))
    if split_mode():
        for item in items:
            _allow_every_database(item)
    else:
        skip_split = pytest.mark.skip(reason="split mode only: run via `make pytest-split`")
        for item in items:
            if "split" in item.keywords:
                item.add_marker(skip_split)
    if os.environ.get("REQUIRE_SERVICES") == "1":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL + Redis: run via `make test`")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


def _keep_own_shard(config, items, shard: str) -> None:
    """``TEST_SHARD=K/N``: only the K-th of N shards of the suite (tests/shards.py)."""
    if not shard:
        return
    try:
        kept, dropped = shards.split(items, shard)
    except ValueError as error:
        raise pytest.UsageError(f"TEST_SHARD={shard!r}: {error}") from None
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def _uses_a_database(item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _keep_what_this_run_adds(config, items) -> None:
    """Leave out what proves the same whatever the database: a test that uses none
    (pytest-django would stop any query it made), and a browser test (what a shopper's
    browser shows and does; the server side of each journey is proven by the HTTP-level
    tests of every run). `make test` runs those in its PostgreSQL run only: the split run
    leaves them out, and so does the SQLite run (``ONLY_DATABASE_TESTS=1``); ADR 0021.
    The split run also leaves out a test marked ``same_in_split``: PostgreSQL's answer to
    its input is the same with one database or eight (the hostile-input walk)."""
    kept, dropped = [], []
    for item in items:
        adds = _uses_a_database(item) and "browser" not in item.keywords
        adds = adds and not (split_mode() and "same_in_split" in item.keywords)
        (kept if adds or "split" in item.keywords else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def _allow_every_database(item) -> None:
    if not _uses_a_database(item):
        return
    marker = item.get_closest_marker("django_db")
    kwargs = {**(marker.kwargs if marker else {}), "databases": "__all__"}
    item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """In split mode, each test database admits only the role that created it."""
    if not split_mode():
        return
    with django_db_blocker.unblock():
        for alias in settings.DATABASES:
            with connections[alias].cursor() as cursor:
                name = connections[alias].ops.quote_name(connections[alias].settings_dict["NAME"])
                cursor.execute(f"REVOKE CONNECT, TEMPORARY ON DATABASE {name} FROM PUBLIC")


@contextmanager
def _count_queries_on_every_database(num: int, connection=None, info=None, *, exact: bool):
    with captured_queries(only=connection) as counted:
        yield counted
    if (len(counted) != num) if exact else (len(counted) > num):
        queries = "\n".join(f"  {query['sql']}" for query in counted.captured_queries)
        expected = num if exact else f"at most {num}"
        pytest.fail(
            f"{len(counted)} queries on all databases, {expected} expected"
            f"{f' ({info})' if info else ''}:\n{queries}"
        )


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    """In split mode a use case's queries are spread over its contexts'
    databases: the count is over all of them, as it is in one database."""
    if not split_mode():
        return django_assert_num_queries
    return partial(_count_queries_on_every_database, exact=True)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    if not split_mode():
        return django_assert_max_num_queries
    return partial(_count_queries_on_every_database, exact=False)


@pytest.fixture
def django_capture_on_commit_callbacks(django_capture_on_commit_callbacks):
    """In split mode a context's after-commit work waits on its own database:
    without ``using``, capture (and run) what waits on every one."""
    if not split_mode():
        return django_capture_on_commit_callbacks

    @contextmanager
    def on_every_database(*, using=None, execute=False):
        if using is not None:
            with django_capture_on_commit_callbacks(using=using, execute=execute) as callbacks:
                yield callbacks
            return
        callbacks: list = []
        with ExitStack() as stack:
            for alias in connections:
                # Registered first, so it runs after the capture has filled its list.
                captured: list = []
                stack.callback(lambda found=captured: callbacks.extend(found[0]))
                captured.append(
                    stack.enter_context(
                        django_capture_on_commit_callbacks(using=alias, execute=execute)
                    )
                )
            yield callbacks

    return on_every_database


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache.

    Contexts cache their reads (kernel.caching); the database rolls back
    after each test, so a cache kept across tests would serve one test's
    prices, stock or products to the next.
    """
    cache.clear()
    cache_backend.forgive_owed_deletes()
    caching.drop_held()
    from storefront import page_cache, personal_header  # the gateway's, once Django is set up

    page_cache.answerable.clear()  # pages kept by an earlier test are not in this cache
    personal_header.forget()  # nor headers rendered under its settings


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language.

    A request to a German page activates German on the thread that served
    it (the test client's is the test's own), and nothing switches it back
    until the next request: without this, a test after it would read German.
    """
    translation.deactivate()


@pytest.fixture
def uncached(settings):
    """Every cache off, as ``make bench`` measures "cold": tests of what the SQL costs."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.fail("this test needs DATABASE_URL to point at PostgreSQL")
    return connection


def require_debian_program(path: Path, package: str) -> None:
    """Skip a test without ``path`` (from Debian's ``package``), except in the run that
    must run them all (REQUIRE_SERVICES=1, `make test`, which `.ci/run` equips)."""
    if path.exists():
        return
    missing = f"Debian's {package} is not installed (`apt-get install {package}`)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{missing}; REQUIRE_SERVICES=1 runs every test that needs it")
    pytest.skip(missing)


def require_chromium(path: Path = CHROMIUM) -> None:
    """Skip a browser test without Chromium, except in the run that must run them all."""
    require_debian_program(path, "chromium")


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django's async-safety guard
    # would otherwise refuse the ORM calls of live_server fixtures.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
