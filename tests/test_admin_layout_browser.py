"""Wide admin tables scroll in their box: the page stays within a laptop's 1,280 px."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from pricing.models import Experiment
from tests.shop import fixture_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_experiment_results_do_not_widen_the_page(live_server, page):
    fixture_shop()
    User.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    experiment = Experiment.objects.get(slug="sweaters")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(
        f"{live_server.url}/admin/login/?next=/admin/pricing/experiment/{experiment.pk}/change/"
    )
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")

    assert "€119.94" in page.inner_text(".wide-table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
