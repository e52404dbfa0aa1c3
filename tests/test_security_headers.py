"""Security headers on every kind of response: storefront, admin, API, and the edge's refusals."""

import json
import re

import pytest
from django.test import Client

from tests.test_configuration import manage
from tests.test_hygiene import ROOT, tracked

pytestmark = pytest.mark.django_db

PAGES = ["/", "/admin/login/", "/api/v1/catalog/products/", "/api/v1/docs/", "/search/?q=%00"]


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    if response.status_code != 400:  # the edge answers first; frame-ancestors covers it
        assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_page_has_no_inline_script_and_a_nonce_for_its_style(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    source = directives(response["Content-Security-Policy"])["style-src"][1]  # 'nonce-...'
    nonce = source.strip("'").removeprefix("nonce-")

    assert "<script>" not in html
    assert f'<style nonce="{nonce}">' in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


PolicyCase = tuple[str, dict]
_POLICY_CASES: list[PolicyCase] = [
    ("/", {}),  # no nonce: the policy built once
    ("/api/v1/docs/", {}),  # a nonce
    ("/api/v1/redoc/", {}),  # a view that replaces directives
    ("/", {"CONTENT_SECURITY_POLICY_REPORT_ONLY": {"DIRECTIVES": {"img-src": ["'self'"]}}}),
    ("/", {"CONTENT_SECURITY_POLICY": None}),
    ("/", {"CONTENT_SECURITY_POLICY": {"EXCLUDE_URL_PREFIXES": ["/"], "DIRECTIVES": {}}}),
]


@pytest.mark.parametrize(("path", "changed"), _POLICY_CASES)
def test_the_policy_built_once_is_what_django_csp_builds(settings, path, changed):
    """kernel.headers builds a response's policy once when it needs no nonce; the headers are
    django-csp's own, for every kind of response and setting."""
    for name, value in changed.items():
        setattr(settings, name, value)
    names = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")

    def policies():
        response = Client().get(path)  # a new client loads the middleware of the settings
        assert response.status_code == 200
        nonce = re.search(rb"nonce-([^' ]+)", response.headers.get(names[0], "").encode())
        return [re.sub(r"nonce-[^' ]+", "nonce", response.headers.get(n, "")) for n in names], nonce

    ours, our_nonce = policies()
    settings.MIDDLEWARE = [
        "csp.middleware.CSPMiddleware" if name.endswith("ContentSecurityPolicyMiddleware") else name
        for name in settings.MIDDLEWARE
    ]
    theirs, their_nonce = policies()

    assert ours == theirs
    assert bool(our_nonce) == bool(their_nonce)


def test_csp_report_only_switches_the_header_to_report_only():
    show = (
        "from django.conf import settings; import json; "
        "print(json.dumps([settings.CONTENT_SECURITY_POLICY, "
        "bool(getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None))]))"
    )
    result = manage("shell", "-c", show, CSP_REPORT_ONLY="1", CSP_REPORT_URI="/csp-report/")
    enforced, report_only = json.loads(result.stdout.strip().splitlines()[-1])
    assert enforced is None
    assert report_only


#: What the policy would block in a template of ours: an inline script or style without
#: the request's nonce, an inline event handler, a style attribute.
_BLOCKED = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/ld\+json)[^>]*>"),
    re.compile(r"<style(?![^>]*\bnonce=)[^>]*>"),
    re.compile(r"""\son[a-z]+\s*=\s*["']"""),
    re.compile(r"""\sstyle\s*=\s*["']"""),
]


def blocked_by_the_policy(html: str) -> list[str]:
    return [match.group(0) for pattern in _BLOCKED for match in pattern.finditer(html)]


def test_no_template_of_ours_holds_what_the_policy_blocks():
    """Every page works under the policy, not only those the browser test opens."""
    found = {}
    for path in tracked("*.html"):
        blocked = blocked_by_the_policy(path.read_text())
        if blocked:
            found[str(path.relative_to(ROOT))] = blocked
    assert found == {}


def test_the_template_check_sees_each_thing_the_policy_blocks():
    html = (
        '<script>alert(1)</script><style>p{}</style><a onclick="x()">'
        '<p style="color:red"><script src="/s.js"></script><style nonce="n"></style>'
        '<script type="application/ld+json">{}</script>'
    )
    assert blocked_by_the_policy(html) == [
        "<script>",
        "<style>",
        ' onclick="',
        ' style="',
    ]
