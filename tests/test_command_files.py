"""The exports' output file that cannot be opened: one line naming it, like the imports."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "command",
    [("export_catalog", "-o"), ("export_prices",)],
    ids=["export_catalog", "export_prices"],
)
def test_an_export_to_a_missing_directory_is_a_command_error_naming_the_file(tmp_path, command):
    target = tmp_path / "missing" / "out.csv"
    with pytest.raises(CommandError, match=f"cannot write {target}: No such file or directory"):
        call_command(*command, str(target))
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "command",
    [("export_catalog", "-o"), ("export_prices",)],
    ids=["export_catalog", "export_prices"],
)
def test_an_export_to_a_file_still_writes_it(tmp_path, command):
    target = tmp_path / "out.csv"
    call_command(*command, str(target))
    assert target.read_text(encoding="utf-8").startswith(("product_sku,", "sku,"))
