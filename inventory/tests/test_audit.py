import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inventory import api
from inventory.dtos import Line
from inventory.models import Stock


@pytest.fixture
def busy_stock(put_stock):
    put_stock("A", ber=5, rtm=2)
    api.allocate(order_ref="O-1", lines=[Line("A", 6)])
    api.ship(order_ref="O-1")
    api.allocate(order_ref="O-2", lines=[Line("A", 1)])
    api.restock(order_ref="O-1", lines=[Line("A", 1)])


def test_the_ledger_balances_after_every_kind_of_movement(busy_stock, capsys):
    call_command("inventory_audit")
    assert "Stock matches the ledger." in capsys.readouterr().out


def test_a_quantity_changed_behind_the_ledgers_back_is_found_and_recomputed(busy_stock, capsys):
    berlin = Stock.objects.get(sku="A", warehouse__code="ber")
    Stock.objects.filter(pk=berlin.pk).update(on_hand=berlin.on_hand + 3)

    with pytest.raises(CommandError, match="1 stock rows differ"):
        call_command("inventory_audit")
    call_command("inventory_audit", "--recompute")

    berlin_after = Stock.objects.get(pk=berlin.pk)
    assert berlin_after.on_hand == berlin.on_hand
    call_command("inventory_audit")
