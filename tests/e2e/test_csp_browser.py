"""Every page works under the Content-Security-Policy: no violation in the browser's console.

The policy allows no inline script, so a page that still had one (or the
API docs, which drf-spectacular renders with an inline init script unless
split) would log "Refused to execute inline script ... Content Security
Policy" here, and stop working for real shoppers.
"""

import pytest

from tests.builders import offer_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_violates_the_content_security_policy(live_server, page, django_user_model):
    offer_product(sku="TEA-1", title="Smoked Lapsang", slug="smoked-lapsang", price="12.5", stock=3)
    django_user_model.objects.create_superuser("root", "root@example.com", "a long passphrase")
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))

    def visit(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path

    visit("/")
    visit("/products/smoked-lapsang/")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    visit("/checkout/")
    visit("/account/sign-in/")
    visit("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a long passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    visit("/admin/catalog/product/")
    visit("/admin/catalog/product/add/")  # autocomplete, prepopulated slug, inlines
    visit("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")  # the init script ran and drew the UI
    page.wait_for_selector(".opblock")  # and it loaded the schema
    visit("/api/v1/redoc/")
    page.get_by_role("heading", name="Commerce API").wait_for()  # Redoc drew the schema

    assert violations == []
