"""A database emptied by flush (as transactional tests do) can still check out."""

import pytest
from django.core.management import call_command

from orders import shipping
from orders.shipping import ShippingMethod


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_default_methods_back_and_a_filled_one_is_left_alone():
    call_command("flush", interactive=False, verbosity=0)
    assert [m.code for m in shipping.methods()] == ["standard", "express"]

    ShippingMethod.objects.filter(code="express").update(is_active=False)
    call_command("migrate", verbosity=0)
    assert [m.code for m in shipping.methods()] == ["standard"]
