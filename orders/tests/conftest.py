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
