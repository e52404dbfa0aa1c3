import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inventory.models import Movement, Stock


@pytest.fixture
def sheet(tmp_path):
    def write(text: str):
        path = tmp_path / "count.csv"
        path.write_text(text)
        return path

    return write


def test_the_command_imports_a_good_sheet(warehouses, catalog_skus, sheet, capsys):
    catalog_skus("A")

    call_command("import_stock", sheet("warehouse,sku,quantity\nber,A,3\n"), "--actor", "kim")

    assert Stock.objects.get(warehouse__code="ber").on_hand == 3
    assert Movement.objects.get().actor == "kim"
    assert "Imported 1 row; 1 quantity changed." in capsys.readouterr().out


def test_the_command_lists_bad_rows_and_imports_nothing(warehouses, catalog_skus, sheet, capsys):
    catalog_skus("A")

    with pytest.raises(CommandError, match="2 problems; nothing was imported"):
        call_command("import_stock", sheet("warehouse,sku,quantity\nber,A,3\nber,B,-1\n"))

    assert capsys.readouterr().err.splitlines() == [
        "row 3, column sku: No product with SKU 'B' in the catalog.",
        "row 3, column quantity: Must be 0 or more.",
    ]
    assert not Stock.objects.exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_stock", tmp_path / "nope.csv")
