import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


@pytest.fixture
def customer(db):
    return get_user_model().objects.create_user("ada@example.com", "ada@example.com", "pw")


@pytest.fixture
def other_customer(db):
    return get_user_model().objects.create_user("grace@example.com", "grace@example.com", "pw")


@pytest.fixture
def clerk(db):
    """A staff member of the order fulfilment team (capture and refund rights)."""
    user = get_user_model().objects.create_user("clerk", "clerk@example.com", "pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="orders", codename__in=["capture_payment", "refund_order"]
        )
    )
    return user


@pytest.fixture
def shop(db):
    """Two teas priced in EUR with stock, a 10 % order voucher and one with a single use."""
    from pricing import api as pricing_api
    from tests.builders import offer_product, ten_percent_voucher

    for sku, title, price, stock in [
        ("TEA-1", "Green Tea", "12.50", 20),
        ("TEA-2", "Black Tea", "8.00", 20),
    ]:
        offer_product(
            sku=sku, title=title, slug=title.lower().replace(" ", "-"), price=price, stock=stock
        )
    ten_percent_voucher()
    pricing_api.upsert_voucher(code="LASTONE", promotion_slug="ten-off", usage_limit=1)
