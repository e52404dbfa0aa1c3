"""Forms on shared pages are checked by origin, not by a token (kernel/csrf.py)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kernel.csrf import origin_checked


@origin_checked
def form_target(request):
    return HttpResponse("done")


def answer(method: str = "post", **headers) -> int:
    request = getattr(RequestFactory(), method)("/form/", headers=headers)
    return form_target(request).status_code


@pytest.mark.parametrize("site", ["same-origin", "none"])
def test_a_post_the_browser_says_is_this_sites_passes(site):
    assert answer(sec_fetch_site=site, origin="https://evil.example") == 200


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_post_the_browser_says_comes_from_elsewhere_is_refused(site):
    assert answer(sec_fetch_site=site, origin="http://testserver") == 403


def test_without_sec_fetch_site_the_origin_decides(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://shop.example", "https://*.shops.example"]
    assert answer(origin="http://testserver") == 200
    assert answer(origin="https://shop.example") == 200
    assert answer(origin="https://de.shops.example") == 200  # as Django's own check
    assert answer(origin="https://testserver") == 403  # another scheme, another origin
    assert answer(origin="null") == 403  # a sandboxed frame, a privacy redirect


def test_a_client_that_is_no_browser_passes_and_reads_are_never_checked():
    assert answer() == 200
    assert answer("get", sec_fetch_site="cross-site") == 200
