"""Security headers on every kind of response: storefront, admin, API, and the edge's refusals."""

import json

import pytest

from tests.test_configuration import manage

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
