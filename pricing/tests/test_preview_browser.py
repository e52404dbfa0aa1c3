"""A pricing manager prices a basket in the admin preview, in a real browser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User

from pricing import api
from pricing.tests.conftest import eur, promotion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pricing_manager_previews_a_basket(live_server, page):
    api.set_price(sku="MUG-1", price=eur("12.00"))
    promotion("mugs", reason="Mugs: 25 % off", percent=Decimal(25), targets=[("sku", "MUG-1")])
    group, _ = Group.objects.get_or_create(name="Pricing manager")
    user = User.objects.create_user("pia", password="a-long-test-password", is_staff=True)
    user.groups.add(group)
    group.permissions.set(group.permissions.model.objects.filter(content_type__app_label="pricing"))

    page.goto(f"{live_server.url}/admin/login/?next=/admin/pricing/price/")
    page.fill("#id_username", "pia")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.click("text=Preview a basket")
    page.fill("#id_basket", "MUG-1 2")
    page.select_option("#id_currency", "EUR")
    page.click("input[value='Price this basket']")

    assert page.inner_text("#quote-total") == "EUR 18.00"
    assert "Mugs: 25 % off" in page.inner_text("#quote")
