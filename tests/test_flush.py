"""A transactional test's PostgreSQL database ends empty however its rows refer to each other.

tests/flush.py empties the tables with ``DELETE`` in one transaction:
proven here with rows that refer to each other (an order, its lines and
payments; a user in a group), after which only what ``post_migrate`` puts
back is left.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connections

from orders.models import Order, OrderLine, Payment
from orders.tests.factories import place

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

#: What post_migrate writes after every flush: content types, permissions, shipping methods.
RESEEDED = {"django_content_type", "auth_permission", "orders_shippingmethod"}


def tables_with_rows() -> set[str]:
    """Over every database: one in single mode, one per context in split mode."""
    found = set()
    for alias in connections:
        connection = connections[alias]
        tables = connection.introspection.django_table_names(only_existing=True)
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})"
                    for table in tables
                ),
                tables,
            )
            found |= {table for (table,) in cursor.fetchall()}
    return found


def test_a_flush_empties_every_table_whatever_refers_to_what(postgres):
    order = place()
    Payment.objects.create(order=order, provider="sandbox", status="captured", currency="EUR")
    user = User.objects.create_user("ada", "ada@example.com", "pw")
    user.groups.add(Group.objects.create(name="Packers"))
    written = tables_with_rows()
    assert {"orders_order", "orders_orderline", "orders_payment", "auth_user_groups"} <= written

    for alias in connections:
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False, database=alias)

    assert tables_with_rows() == RESEEDED
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not User.objects.exists()
