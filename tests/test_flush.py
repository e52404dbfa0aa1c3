"""A transactional test's PostgreSQL database ends empty however its rows refer to each other.

tests/flush.py empties only the tables that hold rows, with ``DELETE`` in
one transaction: proven here with rows that refer to each other (an order,
its lines and payments; a user in a group) and a second flush that finds
only what ``post_migrate`` puts back.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from orders.models import Order, OrderLine, Payment
from orders.tests.factories import place
from tests.flush import flush_only_tables_with_rows

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

#: What post_migrate writes after every flush: content types, permissions, shipping methods.
RESEEDED = {"django_content_type", "auth_permission", "orders_shippingmethod"}


def tables_with_rows(connection) -> set[str]:
    statements = flush_only_tables_with_rows(None, connection, reset_sequences=False)
    return {statement.split('"')[1] for statement in statements}


def test_a_flush_empties_every_table_that_has_rows_and_only_those(postgres):
    order = place()
    Payment.objects.create(order=order, provider="sandbox", status="captured", currency="EUR")
    user = User.objects.create_user("ada", "ada@example.com", "pw")
    user.groups.add(Group.objects.create(name="Packers"))
    written = tables_with_rows(postgres)
    assert {"orders_order", "orders_orderline", "orders_payment", "auth_user_groups"} <= written

    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)

    assert tables_with_rows(postgres) == RESEEDED
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not User.objects.exists()
