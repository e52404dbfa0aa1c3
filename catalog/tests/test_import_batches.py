"""A large import runs a batch at a time: checked whole first, then written batch by batch,
each batch in a transaction of its own with its events (catalog.services.products_import)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalog import services, upsert
from catalog.models import Product
from catalog.tests.test_import_export import HEADER, _Stream
from kernel.tests.outboxes import outbox_of

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture(autouse=True)
def _batches_of_two(monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)


def jsonl(tmp_path, *products: dict) -> str:
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(product) for product in products))
    return str(path)


def mug(n: int, **fields) -> dict:
    return {"sku": f"MUG-{n}", "title": f"Mug {n}", "category": "kitchen", **fields}


def imported(path: str, *args: str) -> tuple[str, str]:
    out, err = _Stream(), _Stream()
    call_command("import_catalog", path, "--no-progress", *args, stdout=out, stderr=err)
    return out.text, err.text


def test_each_batch_commits_with_its_events_and_a_failing_batch_only_undoes_itself(
    tmp_path, monkeypatch
):
    path = jsonl(tmp_path, *(mug(n) for n in range(5)))
    real_write, calls = upsert.write, []

    def third_batch_fails(plans, known):
        calls.append([plan.input.sku for plan in plans])
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_write(plans, known)

    monkeypatch.setattr(upsert, "write", third_batch_fails)
    with pytest.raises(RuntimeError):
        imported(path)
    assert calls == [["MUG-0", "MUG-1"], ["MUG-2", "MUG-3"], ["MUG-4"]]
    assert sorted(Product.objects.values_list("sku", flat=True)) == [f"MUG-{n}" for n in range(4)]
    changed = outbox_of("catalog").filter(event_type="catalog.product_changed.v1")
    assert sorted(event.payload["sku"] for event in changed) == [f"MUG-{n}" for n in range(4)]


def test_a_problem_in_a_later_batch_stops_the_whole_file_before_anything_is_written(tmp_path):
    path = jsonl(tmp_path, mug(0), mug(1), mug(2), mug(3), mug(4, category="nowhere"))
    err = _Stream()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_catalog", path, stdout=_Stream(), stderr=err)
    assert "row 5, column category: no category with slug 'nowhere'" in err.text
    assert not Product.objects.exists()
    assert not outbox_of("catalog").exists()


def test_codes_slugs_and_variant_skus_are_unique_across_batches(tmp_path):
    path = jsonl(
        tmp_path,
        mug(0, variants=[{"sku": "MUG-9"}]),
        mug(1, slug="the-mug"),
        mug(0),
        mug(2, slug="the-mug"),
        mug(9),
    )
    out, err = imported(path, "--skip-invalid")
    assert "row 3, column product_sku: also on row 1" in err
    assert "row 4, column slug: also on row 2" in err
    assert "row 5, column product_sku: MUG-9 is a variant of MUG-0" in err
    assert "2 products were created" in out
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["MUG-0", "MUG-1"]


def test_a_products_csv_rows_follow_each_other_or_it_is_another_product(tmp_path):
    rows = "TS-1,Tee,,,published,clothing,,,,,TS-1-S,,\nMUG-1,Mug,,,,kitchen,,,,,,,\n"
    rows += "TS-1,,,,,,,,,,TS-1-M,,\n"
    path = tmp_path / "catalog.csv"
    path.write_text(HEADER + rows)
    _, err = imported(str(path), "--skip-invalid")
    assert "row 4, column product_sku: also on row 1" in err
    assert set(Product.objects.values_list("sku", flat=True)) == {"TS-1", "MUG-1"}


def test_standard_input_is_read_twice_through_a_copy(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(HEADER + "MUG-1,Mug,,,,kitchen,,,,,,,\n"))
    out, _ = imported("-")
    assert "1 product was created" in out
