"""Fixtures of inventory's tests: two warehouses, catalog SKUs, stock put in place."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from inventory import services
from inventory.models import Warehouse
from inventory.roles import CLERK_GROUP
from tests.builders import simple_product


@pytest.fixture
def warehouses(db) -> tuple[Warehouse, Warehouse]:
    """Berlin is allocated from before Rotterdam (lower priority number)."""
    return (
        services.warehouse_upsert(code="ber", name="Berlin", country="DE", priority=10),
        services.warehouse_upsert(code="rtm", name="Rotterdam", country="NL", priority=20),
    )


@pytest.fixture
def catalog_skus(db):
    """Make SKUs known to the catalog (staff paths refuse unknown ones)."""

    def create(*skus: str) -> None:
        for sku in skus:
            simple_product(sku=sku)

    return create


@pytest.fixture
def put_stock(warehouses):
    """``put_stock("A", ber=3, rtm=2)``: on-hand of A per warehouse code."""

    def put(sku: str, **on_hand_by_warehouse: int) -> None:
        for code, quantity in on_hand_by_warehouse.items():
            services.stock_set(sku=sku, quantity=quantity, warehouse_code=code)

    return put


@pytest.fixture
def clerk(db, django_user_model):
    """A staff user whose only permissions come from the Inventory clerk group."""
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=CLERK_GROUP))
    return user


@pytest.fixture
def api_client():
    return APIClient()
