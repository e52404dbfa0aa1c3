"""Shared pytest fixtures.

Browser tests (marked ``browser``) get a ``page`` in Debian's Chromium,
driven by Playwright; a browser is never downloaded.

Tests marked ``services`` need the real PostgreSQL and Redis. `make test`
runs them with REQUIRE_SERVICES=1, which turns a missing service (or a
missing browser) into a failure instead of a skip, so CI cannot pass by
skipping them. A test that claims a concurrency property asks for the
``postgres`` fixture, which fails on any other database.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL + Redis: run via `make test`")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache.

    Contexts cache their reads (kernel.caching); the database rolls back
    after each test, so a cache kept across tests would serve one test's
    prices, stock or products to the next.
    """
    cache.clear()


@pytest.fixture
def uncached(settings):
    """Every cache off, as ``make bench`` measures "cold": tests of what the SQL costs."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.fail("this test needs DATABASE_URL to point at PostgreSQL")
    return connection


def require_chromium(path: Path = CHROMIUM) -> None:
    """Skip a browser test without Chromium, except in the run that must run them all."""
    if path.exists():
        return
    missing = "Debian's chromium is not installed (`apt-get install chromium`)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{missing}; REQUIRE_SERVICES=1 runs every browser test")
    pytest.skip(missing)


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
