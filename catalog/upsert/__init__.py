"""Creating or updating many products and their variants by SKU, in bulk.

The one write path for importers (CSV, JSON Lines, demo data, the API's
``upsert_products``), in three steps, one module each:

1. ``validate``: every input is checked against the catalog, with a
   constant number of queries, and each problem reported with its row,
   column and reason;
2. ``write``: everything that changed is written with bulk statements in
   one transaction;
3. ``announce``: each written product publishes its events in that same
   transaction.

An input identical to what is stored is left alone: no write, no event
(the demo seed runs on every start).
"""

from __future__ import annotations

from collections.abc import Callable

from catalog import categories, documents
from catalog.dtos import ProductInput, UpsertReport
from catalog.upsert import validate
from catalog.upsert.announce import announce_written
from catalog.upsert.write import write
from kernel.databases import atomic

#: Called with (stage, done, total) as an upsert goes on (a command's progress bar).
ProgressCallback = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default: nobody is watching."""


def upsert(
    *,
    inputs: list[ProductInput],
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: ProgressCallback | None = None,
) -> UpsertReport:
    """Validate ``inputs`` and, unless told otherwise, write them in one transaction.

    Nothing is written when any input is invalid, unless ``skip_invalid``:
    then the valid ones are written and the invalid ones reported.
    """
    progress = progress or _no_progress
    progress("loading", 0, len(inputs))
    known = validate.Known(inputs)
    plans = []
    for index, item in enumerate(inputs):
        plans.append(validate.resolve(index, item, known))
        if index % 500 == 0:
            progress("checking", index, len(inputs))
    progress("checking", len(inputs), len(inputs))
    validate.cross_check(plans)
    errors = tuple(error for plan in plans for error in plan.errors)
    valid = [plan for plan in plans if not plan.errors]
    changed = []
    for plan in valid:
        plan.existing = known.products.get(plan.input.sku)
        if (
            plan.existing is None
            or validate.stored_fingerprint(plan.existing) != plan.fingerprint()
        ):
            changed.append(plan)
    created = sum(1 for plan in changed if plan.existing is None)
    counts = {
        "created": created,
        "updated": len(changed) - created,
        "unchanged": len(valid) - len(changed),
        "errors": errors,
    }
    if dry_run or (errors and not skip_invalid):
        return UpsertReport(**counts)
    with atomic("catalog"):
        _write_and_announce(changed, progress)
    return UpsertReport(**counts, written=True)


def _write_and_announce(plans: list[validate.ProductPlan], progress: ProgressCallback) -> None:
    if not plans:
        return
    progress("writing", 0, len(plans))
    written = write(plans)
    documents.refresh(product_ids=[item.product.pk for item in written])
    progress("writing", len(plans), len(plans))
    tree = categories.load()
    for done, item in enumerate(written, start=1):
        if done % 500 == 0 or done == len(written):
            progress("announcing", done, len(written))
        announce_written(
            product=item.product,
            previous_status=item.previous_status,
            variant_skus=tuple(variant.sku for variant in item.plan.variants),
            category_slugs=tree.membership_path(item.plan.category_id, item.plan.secondary_ids),
        )
