"""Prices in bulk: row-level errors, all or nothing, history and events, export round trip."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kernel.outbox import published
from pricing import price_import
from pricing.models import Price, PriceChange, PriceList, PriceListEntry
from tests.builders import simple_product

pytestmark = pytest.mark.usefixtures("shop")


@pytest.fixture(autouse=True)
def catalog(db):
    for sku in ("TEA-1", "TEA-2", "PAN-1"):
        simple_product(sku=sku)
    PriceList.objects.create(name="Wholesale", customer_group="wholesale")


def run(tmp_path, text: str, *args, name: str = "prices.csv") -> str:
    out = io.StringIO()
    path = _file(tmp_path, text, name)
    call_command("import_prices", str(path), *args, "--no-progress", stdout=out, stderr=out)
    return out.getvalue()


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_changes(tmp_path):
    text = (
        "sku,currency,price,compare_at,price_list\n"
        "TEA-1,EUR,11.00,,\n"
        "NOPE,EUR,1.00,,\n"
        "TEA-2,EUR,1.005,,\n"
        "TEA-2,XXX,1,,\n"
        "PAN-1,EUR,40,30,\n"
        "TEA-1,EUR,12.00,,\n"
        "TEA-1,EUR,9.00,12,Wholesale\n"
        "TEA-2,EUR,,,Retail\n"
    )
    errors = io.StringIO()
    with pytest.raises(CommandError, match="8 problems; nothing was imported"):
        call_command("import_prices", str(_file(tmp_path, text)), stderr=errors)

    assert errors.getvalue().splitlines() == [
        "row 3, column sku: No product with SKU 'NOPE' in the catalog.",
        "row 4, column price: EUR has 2 decimals.",
        "row 5, column currency: Unknown currency 'XXX'.",
        "row 6, column compare_at: Must be above the price.",
        "row 7, column sku: Same SKU, currency and price list as row 2.",
        "row 8, column compare_at: A price-list price has no compare-at.",
        "row 9, column price: Required.",
        "row 9, column price_list: No price list named 'Retail'.",
    ]
    assert Price.objects.get(sku="TEA-1", currency="EUR").amount == Decimal("10.00")


def test_amounts_past_the_column_or_in_odd_forms_are_bad_rows_even_in_a_dry_run(tmp_path):
    """``Decimal()`` reads "1_299", "1e3" and "١٢"; the column stops below 10^11."""
    text = (
        "sku,currency,price,compare_at\n"
        "TEA-1,EUR,100000000000,\n"
        "TEA-2,EUR,12.99,1e13\n"
        "PAN-1,EUR,1_299,\n"
        "TEA-1,USD,\u0661\u0662,\n"
        "TEA-2,USD,NaN,\n"
        "PAN-1,USD,99999999999.99,\n"  # fine
    )
    for dry_run in (["--dry-run"], []):
        errors = io.StringIO()
        with pytest.raises(CommandError, match="5 problems; nothing was imported"):
            call_command("import_prices", str(_file(tmp_path, text)), *dry_run, stderr=errors)
        assert errors.getvalue().splitlines() == [
            "row 2, column price: Must be less than 100000000000.",
            "row 3, column compare_at: Not an amount: '1e13'.",
            "row 4, column price: Not an amount: '1_299'.",
            "row 5, column price: Not an amount: '\u0661\u0662'.",
            "row 6, column price: Not an amount: 'NaN'.",
        ]
    assert json_amount(tmp_path, 1e12) == ["row 1, column price: Must be less than 100000000000."]


def test_one_bad_row_is_one_problem(tmp_path):
    with pytest.raises(CommandError, match=r"^1 problem; nothing was imported"):
        call_command("import_prices", str(_file(tmp_path, "sku,currency,price\nNOPE,EUR,1\n")))


def json_amount(tmp_path, price: float) -> list[str]:
    line = json.dumps({"sku": "TEA-1", "currency": "EUR", "price": price})
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_prices", str(_file(tmp_path, line, "p.jsonl")), stderr=errors)
    return errors.getvalue().splitlines()


def _file(tmp_path, text: str, name: str = "prices.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_an_import_writes_what_differs_with_history_and_one_event_per_price(tmp_path):
    events = published("pricing.price_changed.v1").count()
    text = (
        "sku,currency,price,compare_at,price_list\n"
        "TEA-1,EUR,11.00,14.00,\n"
        "TEA-2,EUR,4.99,,\n"
        "PAN-1,JPY,5000,,\n"
        "TEA-1,EUR,8.50,,Wholesale\n"
    )
    output = run(tmp_path, text)

    assert "4 rows: 2 prices created, 1 changed, 1 unchanged" in output
    tea = Price.objects.get(sku="TEA-1", currency="EUR")
    assert (tea.amount, tea.compare_at_amount) == (Decimal("11.00"), Decimal("14.00"))
    assert Price.objects.get(sku="PAN-1", currency="JPY").amount == Decimal(5000)
    assert PriceListEntry.objects.get(sku="TEA-1").amount == Decimal("8.50")
    history = PriceChange.objects.filter(changed_by="import_prices")
    assert sorted(history.values_list("sku", "field", "new_amount")) == [
        ("PAN-1", "amount", Decimal("5000.000")),
        ("TEA-1", "amount", Decimal("8.500")),
        ("TEA-1", "amount", Decimal("11.000")),
        ("TEA-1", "compare_at_amount", Decimal("14.000")),
    ]
    assert published("pricing.price_changed.v1").count() == events + 2


def test_a_dry_run_counts_and_writes_nothing(tmp_path):
    output = run(tmp_path, "sku,currency,price\nTEA-1,EUR,11.00\n", "--dry-run")
    assert "Dry run, nothing written: 1 row: 0 prices created, 1 changed" in output
    assert Price.objects.get(sku="TEA-1", currency="EUR").amount == Decimal("10.00")


def test_skip_invalid_applies_the_good_rows(tmp_path):
    run(tmp_path, "sku,currency,price\nTEA-1,EUR,11.00\nNOPE,EUR,1\n", "--skip-invalid")
    assert Price.objects.get(sku="TEA-1", currency="EUR").amount == Decimal("11.00")


def test_json_lines_are_read_like_csv(tmp_path):
    lines = [{"sku": "TEA-2", "currency": "usd", "price": "3.50"}, ["not", "an", "object"]]
    text = "\n".join(json.dumps(line) for line in lines)
    parsed = price_import.parse(text.encode(), fmt="jsonl")
    assert [str(error) for error in parsed.errors] == ["row 2, column -: Not a JSON object."]
    assert parsed.rows[0].currency == "USD"


@pytest.mark.parametrize("name", ["prices.csv", "prices.jsonl"])
def test_an_export_imports_back_unchanged(tmp_path, name):
    run(tmp_path, "sku,currency,price,compare_at,price_list\nTEA-1,EUR,8.50,,Wholesale\n")
    Price.objects.filter(sku="TEA-2", currency="EUR").update(compare_at_amount=Decimal("6.000"))
    exported = tmp_path / f"export-{name}"
    call_command("export_prices", str(exported))

    output = run(tmp_path, exported.read_text(), name=f"again-{name}")

    assert "0 prices created, 0 changed, 7 unchanged" in output


def test_the_admin_import_page_lists_bad_rows_and_applies_a_good_file(client):
    manager = User.objects.create_user("pia", is_staff=True)
    manager.groups.add(Group.objects.get(name="Pricing manager"))
    client.force_login(manager)
    url = reverse("admin:pricing_price_import")
    assert url in client.get(reverse("admin:pricing_price_changelist")).content.decode()

    bad = SimpleUploadedFile("p.csv", b"sku,currency,price\nTEA-1,EUR,x\n")
    page = client.post(url, {"file": bad}).content.decode()
    assert "<td>2</td><td>price</td><td>Not an amount: &#x27;x&#x27;.</td>" in page

    good = SimpleUploadedFile("p.jsonl", b'{"sku": "TEA-1", "currency": "EUR", "price": "12"}\n')
    assert client.post(url, {"file": good})["Location"] == reverse("admin:pricing_price_changelist")
    assert Price.objects.get(sku="TEA-1", currency="EUR").amount == Decimal("12.00")
    assert PriceChange.objects.filter(sku="TEA-1", changed_by="pia").exists()

    clerk = User.objects.create_user("cid", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Inventory clerk"))
    client.force_login(clerk)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("raw", "fmt", "reported"),
    [
        (b"sku,currency,price\nTEA-1,EUR,1\nTEA\x00,EUR,1\n", "csv", (3, "A NUL character")),
        (b"sku,currency,price\nTEA-1,EUR," + b"1" * 200_000 + b"\n", "csv", (2, "A cell is")),
        (b"sku,currency,price, Price\nTEA-1,EUR,1,9\n", "csv", (1, "The column 'price' is")),
        (b'{"sku": "TEA\\u0000"}\n', "jsonl", (1, "A NUL character")),
        (b'{"sku": "TEA\\ud800"}\n', "jsonl", (1, "Text that is not Unicode")),
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", "jsonl", (1, "Not a JSON object.")),
    ],
)  # fmt: skip
def test_a_file_the_readers_or_the_database_cannot_take_is_a_bad_row(raw, fmt, reported):
    """A NUL character (PostgreSQL refuses it in any query), a cell past the csv module's
    limit or a line nested past the JSON parser's stack was a 500 on the admin's import; a
    header naming a column twice was read by its last cell, silently."""
    parsed = price_import.parse(raw, fmt=fmt)

    row, reason = reported
    assert [error.row for error in parsed.errors if error.reason.startswith(reason)] == [row]
    assert not parsed.ok
