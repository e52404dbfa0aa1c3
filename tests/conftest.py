"""Fixtures of the project-level tests: the back office's shop and its staff."""

import pytest
from django.contrib.auth.models import User

from tests.shop import fixture_shop


@pytest.fixture
def shop(db):
    """tests/shop.py's shop; returns its one order."""
    return fixture_shop()


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    return client
