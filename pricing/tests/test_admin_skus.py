"""A SKU typed in pricing's admin is one the catalog sells, as the price import requires."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from pricing.models import Price, PriceList, PriceListEntry, SkuTaxClass
from tests.builders import simple_product

pytestmark = pytest.mark.usefixtures("shop")


@pytest.fixture
def staff(client, db):
    simple_product(sku="TEA-1")
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def _inline(prefix: str, **row) -> dict:
    management = {"TOTAL_FORMS": 1, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}
    return {
        **{f"{prefix}-{key}": value for key, value in management.items()},
        **{f"{prefix}-0-{key}": value for key, value in row.items()},
    }


FORMS = {
    "price": (
        "admin:pricing_price_add",
        lambda sku: {"sku": sku, "currency": "GBP", "amount": "5"},
    ),
    "tax class": (
        "admin:pricing_skutaxclass_add",
        lambda sku: {"sku": sku, "tax_class": "standard"},
    ),
    "price list entry": (
        "admin:pricing_pricelist_add",
        lambda sku: {
            "name": "Wholesale",
            "customer_group": "wholesale",
            "is_active": "on",
            **_inline("entries", sku=sku, currency="EUR", amount="4"),
        },
    ),
}


def _written() -> tuple[int, int, int, int]:
    return tuple(m.objects.count() for m in (Price, SkuTaxClass, PriceList, PriceListEntry))


@pytest.mark.parametrize("form", FORMS)
def test_a_sku_the_catalog_does_not_know_is_refused_and_nothing_is_written(staff, form):
    """The admin saved a price, a tax class or a list price for any SKU typed (a typo, a
    product's code for a variant's): a row no shopper's cart ever reads, which the price
    import refuses ("No product with SKU ... in the catalog.")."""
    url, data = FORMS[form]
    before = _written()

    response = staff.post(reverse(url), data("TEA-9"))

    assert response.status_code == 200
    assert "No product with SKU &#x27;TEA-9&#x27; in the catalog." in response.content.decode()
    assert _written() == before


@pytest.mark.parametrize("form", FORMS)
def test_a_sku_the_catalog_sells_is_saved(staff, form):
    url, data = FORMS[form]
    assert staff.post(reverse(url), data("TEA-1")).status_code == 302
