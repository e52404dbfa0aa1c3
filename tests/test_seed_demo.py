"""`manage.py seed_demo`: a realistic, deterministic, idempotent demo shop.

The command runs here on a smaller demo catalog (three products a category
instead of 24): what these tests prove, once-only and determinism, does not
depend on the catalog's size, and the full one costs about 80 s of event
deliveries per seeding on PostgreSQL. The full catalog's size and shape are
proven without a database (demo/tests/test_demo.py).
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum

from catalog.models import Category, Product
from demo import catalog_seed
from inventory.models import Allocation, Movement, Reservation, Stock
from kernel.tests.outboxes import event_count
from pricing.models import Price

pytestmark = pytest.mark.django_db(transaction=True)

#: Products per category of the demo catalog seeded here (ten categories).
PRODUCTS_PER_CATEGORY = 3


@pytest.fixture(autouse=True)
def small_demo_catalog(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(catalog_seed, "PRODUCTS_PER_CATEGORY", PRODUCTS_PER_CATEGORY)
    settings.MEDIA_ROOT = tmp_path  # the pictures' thumbnails


#: A few of the demo's orders: they are its slow part (demo/tests/test_demo_orders.py has more).
ORDERS = "8"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--orders", ORDERS, *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "products": sorted(Product.objects.values_list("sku", "title", "slug", "category__slug")),
        "prices": sorted(Price.objects.values_list("sku", "currency", "amount")),
        "stock": sorted(Stock.objects.values_list("warehouse__code", "sku", "on_hand")),
    }


def test_seed_demo_builds_a_shop_once_and_only_once():
    first_output = seed()

    assert Product.objects.count() == 10 * PRODUCTS_PER_CATEGORY
    assert Category.objects.filter(products__isnull=False).distinct().count() >= 10
    assert set(Price.objects.values_list("currency", flat=True)) >= {"EUR", "USD", "GBP"}
    stock = Stock.objects.values("sku").annotate(total=Sum("on_hand"))
    assert stock.filter(total=0).exists()  # some are sold out, like a real shop
    staff = get_user_model().objects.get(username="admin")
    assert staff.is_staff
    assert f"{ORDERS} new orders" in first_output
    assert "Staff login (shown only now): admin / " in first_output
    password = first_output.split("admin / ")[1].split()[0]
    assert staff.check_password(password)

    state, events = snapshot(), event_count()
    second_output = seed()

    assert snapshot() == state
    assert event_count() == events  # nothing changed, nothing announced
    assert "Staff login" not in second_output
    assert "0 new orders" in second_output
    assert "already present; nothing to do" in seed("--if-empty")


@pytest.mark.same_in_split  # the same seed gives the same shop on any layout; built above
def test_seed_demo_is_deterministic():
    seed("--orders", "0")  # open orders' stock arrives with them: orders stay out of this one
    first = snapshot()
    Product.objects.all().delete()
    Price.objects.all().delete()
    for model in (Movement, Reservation, Allocation, Stock):
        model.objects.all().delete()

    seed("--orders", "0")

    assert snapshot() == first
