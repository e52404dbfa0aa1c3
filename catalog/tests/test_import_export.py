"""manage.py import_catalog / export_catalog: formats, dry runs, row-level reports."""

import json

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Product, ProductVariant
from tests.builders import sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

HEADER = (
    "product_sku,title,slug,description,status,category,secondary_categories,brand,"
    "product_type,attributes,variant_sku,variant_name,variant_options\n"
)
GOOD = (
    "TS-1,Cotton Tee,,Soft.,published,clothing,gifts,Teeco,apparel,material=Cotton|organic=no,"
    "TS-1-S,,size=S\n"
    "TS-1,,,,,,,,,,TS-1-M,,size=M\n"
    "MUG-1,Mug,,,draft,kitchen,,,,,,,\n"
)


def run(tmp_path, content: str, *args, name: str = "catalog.csv"):
    path = tmp_path / name
    path.write_text(content)
    out, err = _Stream(), _Stream()
    call_command("import_catalog", str(path), *args, stdout=out, stderr=err)
    return out.text, err.text


def run_refused(tmp_path, content: str) -> str:
    """Import ``content``, expecting a refusal; returns what was reported."""
    path = tmp_path / "catalog.csv"
    path.write_text(content)
    err = _Stream()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_catalog", str(path), stdout=_Stream(), stderr=err)
    return err.text


class _Stream:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        """The progress bar flushes; nothing to do in memory."""


def test_csv_creates_products_and_variants(tmp_path):
    out, _ = run(tmp_path, HEADER + GOOD)
    assert "2 products were created, 0 updated, 0 unchanged; 0 problems." in out
    assert list(ProductVariant.objects.order_by("sku").values_list("sku", flat=True)) == [
        "MUG-1",
        "TS-1-M",
        "TS-1-S",
    ]
    assert Product.objects.get(sku="MUG-1").status == "draft"
    out, _ = run(tmp_path, HEADER + GOOD)
    assert "0 products were created, 0 updated, 2 unchanged" in out


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path):
    bad = (
        "TS-2,Tee,,,published,nowhere,,,apparel,material=Silk,TS-2-S,,size=S\n"
        "TS-2,,,,,,,,,,TS-2-M,,size=XXL\n"
        "TS-3,,,,,kitchen,,,,,,,\n"
        "TS-4,Tee,,,published,kitchen,,,,colour,,,\n"
    )
    err = run_refused(tmp_path, HEADER + GOOD + bad)
    assert not Product.objects.exists()
    assert "row 5, column category: no category with slug 'nowhere'" in err
    assert "row 5, column attributes: material: 'Silk' is not one of Wool, Cotton, Linen" in err
    assert "row 6, column variant_options: size: 'XXL' is not one of S, M, L" in err
    assert "row 7, column title: required, at most 200 characters" in err
    assert "row 8, column attributes: 'colour' is not code=value" in err


def test_skip_invalid_writes_the_valid_rows_and_reports_the_others(tmp_path):
    bad = "TS-3,,,,,kitchen,,,,,,,\n"
    out, err = run(tmp_path, HEADER + GOOD + bad, "--skip-invalid")
    assert "row 5, column title" in err
    assert "2 products were created" in out
    assert set(Product.objects.values_list("sku", flat=True)) == {"TS-1", "MUG-1"}


def test_dry_run_reports_what_would_change(tmp_path):
    upsert(sweater())
    content = HEADER + "SW-1,Merino Sweater,,,,clothing,,,,,,,\n" + GOOD
    out, _ = run(tmp_path, content, "--dry-run")
    assert "2 products would be created, 1 updated" in out
    assert Product.objects.get(sku="SW-1").title == "Wool Sweater"


def test_json_lines(tmp_path):
    lines = [
        {"sku": "JS-1", "title": "Scarf", "category": "clothing", "product_type": "apparel",
         "attributes": {"material": "Wool"},
         "variants": [{"sku": "JS-1-RED", "options": {"colour": "Red"}}]},
        "not an object",
    ]  # fmt: skip
    content = "\n".join(json.dumps(line) for line in lines)
    out, err = run(tmp_path, content, "--skip-invalid", name="catalog.jsonl")
    assert "row 2, column -: not a product: a line must be a JSON object" in err
    assert "1 product was created, 0 updated, 0 unchanged; 1 problem." in out
    assert ProductVariant.objects.get().sku == "JS-1-RED"


def test_a_json_line_nested_past_the_parser_is_a_bad_row(tmp_path):
    """Thousands of brackets exhaust the JSON parser's stack (a RecursionError, not a
    ValueError): a row the report names, not a traceback."""
    content = "[" * 100_000 + "]" * 100_000 + "\n"
    _, err = run(tmp_path, content, "--skip-invalid", name="catalog.jsonl")
    assert "row 1, column -: not a product: maximum recursion depth exceeded" in err


@pytest.mark.parametrize(
    ("content", "name", "reported"),
    [
        ("product_sku,title,category\nNUL-1,Ti\x00tle,clothing\n", "catalog.csv",
         "row 2, column -: A NUL character"),
        ("product_sku,title,category\nBIG-1," + "x" * 200_000 + ",clothing\n", "catalog.csv",
         "row 2, column -: A cell is longer than"),
        ("product_sku,title,category,Title\nD-1,A,clothing,B\n", "catalog.csv",
         "row 1, column -: The column 'title' is named twice"),
        ('{"sku": "J-1", "title": "a\\u0000b", "category": "clothing"}\n', "catalog.jsonl",
         "row 1, column -: not a product: A NUL character"),
        ('{"sku": "J-1", "title": "a\\ud800b", "category": "clothing"}\n', "catalog.jsonl",
         "row 1, column -: not a product: Text that is not Unicode"),
    ],
)  # fmt: skip
def test_text_no_database_stores_or_a_cell_past_the_reader_is_a_bad_row(
    tmp_path, content, name, reported
):
    """A NUL character or half a surrogate pair reached PostgreSQL (a DataError, a
    UnicodeEncodeError) and a cell past the csv module's limit raised ``csv.Error``:
    tracebacks, not a report. A header naming a column twice was read by its last cell."""
    with pytest.raises(CommandError, match="Nothing was written"):
        run(tmp_path, content, name=name)
    _, err = run(tmp_path, content, "--skip-invalid", name=name)
    assert reported in err
    assert not Product.objects.exists()


def test_a_missing_file_or_column_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_catalog", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError):
        run(tmp_path, "sku,name\nA,B\n")


@pytest.mark.parametrize("name", ["export.csv", "export.jsonl"])
def test_export_reimports_unchanged(tmp_path, name):
    upsert(sweater(), sweater(sku="SW-2", title="Another", status="draft"))
    call_command("export_catalog", "-o", str(tmp_path / name), stderr=_Stream())
    out, _ = run(tmp_path, (tmp_path / name).read_text(), name=name)
    assert "0 products were created, 0 updated, 2 unchanged; 0 problems." in out


def test_the_progress_bar_draws_stages_and_ends_with_a_newline():
    from catalog.management.commands.import_catalog import Progress

    stream = _Stream()
    progress = Progress(stream, enabled=True)
    progress("checking", 0, 4)
    progress("checking", 4, 4)
    assert stream.text.endswith("\rchecking   [##############################] 4/4\n")
    quiet = _Stream()
    Progress(quiet, enabled=False)("checking", 4, 4)
    assert quiet.text == ""
