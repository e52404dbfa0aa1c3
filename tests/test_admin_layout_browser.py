"""Wide admin tables scroll in their box: the page stays within a laptop's 1,280 px."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from catalog.models import Product
from pricing.models import Experiment
from tests.shop import fixture_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_at(live_server, page, path: str) -> None:
    User.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{path}")


def test_the_experiment_results_do_not_widen_the_page(live_server, page):
    fixture_shop()
    experiment = Experiment.objects.get(slug="sweaters")

    _signed_in_at(live_server, page, f"/admin/pricing/experiment/{experiment.pk}/change/")

    assert "€119.94" in page.inner_text(".wide-table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_a_products_attribute_table_does_not_widen_the_page(live_server, page):
    """A column per kind of value, each attribute's icons, a select as wide as its
    longest name: the table fits, and any inline table wider than its box scrolls in it
    (backoffice/static/backoffice/admin.css, on every admin page)."""
    fixture_shop()
    product = Product.objects.get(sku="SW-1")

    _signed_in_at(live_server, page, f"/admin/catalog/product/{product.pk}/change/")

    page.locator("#attribute_values-group select").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    overflow = page.evaluate(
        "getComputedStyle(document.querySelector('#attribute_values-group fieldset')).overflowX"
    )
    assert overflow == "auto"
