"""Creating or updating many products and their variants by SKU, in bulk.

The one write path for importers (CSV, JSON Lines, demo data, the API's
``upsert_products``), in three steps, one module each:

1. ``validate``: every input is checked against the catalog, with a
   constant number of queries, and each problem reported with its row,
   column and reason;
2. ``write``: everything that changed is written with bulk statements in
   one transaction, the products' documents and search fields made from
   the plans rather than read back (``derive``);
3. ``announce``: the written products' events are published in that
   same transaction (batched inserts).

An input identical to what is stored is left alone: no write, no event
(the demo seed runs on every start). A file is imported a batch at a time,
each batch one upsert (``services.products_import``).
"""

from __future__ import annotations

from collections.abc import Callable

from catalog import cache
from catalog.dtos import ProductInput, UpsertReport
from catalog.upsert import stored, validate
from catalog.upsert.announce import events_of_write
from catalog.upsert.write import write
from kernel.databases import atomic
from kernel.outbox import publish_many

#: Called with (stage, done, total) as an import goes on (a command's progress bar).
ProgressCallback = Callable[[str, int, int], None]


def upsert(
    *,
    inputs: list[ProductInput],
    dry_run: bool = False,
    skip_invalid: bool = False,
    seen: validate.Seen | None = None,
) -> UpsertReport:
    """Validate ``inputs`` and, unless told otherwise, write them in one transaction.

    Nothing is written when any input is invalid, unless ``skip_invalid``:
    then the valid ones are written and the invalid ones reported. ``seen``:
    the inputs of earlier batches of the same file, which must not repeat
    a code, slug or variant SKU of these either.
    """
    known = validate.Known(inputs)
    plans = [validate.resolve(index, item, known) for index, item in enumerate(inputs)]
    validate.cross_check(plans, seen)
    errors = tuple(error for plan in plans for error in plan.errors)
    valid = [plan for plan in plans if not plan.errors]
    stored_as = stored.fingerprints(list(known.products.values()))
    changed = []
    for plan in valid:
        plan.existing = known.products.get(plan.input.sku)
        if plan.existing is None or stored_as[plan.input.sku] != plan.fingerprint():
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
        _write_and_announce(changed, known)
    return UpsertReport(**counts, written=True)


def _write_and_announce(plans: list[validate.ProductPlan], known: validate.Known) -> None:
    if not plans:
        return
    written = write(plans, known)
    cache.products_changed([item.product.sku for item in written])
    publish_many(
        event
        for item in written
        for event in events_of_write(
            product=item.product,
            previous_status=item.previous_status,
            variant_skus=tuple(variant.sku for variant in item.plan.variants),
            category_slugs=known.tree.membership_path(
                item.plan.category_id, item.plan.secondary_ids
            ),
        )
    )
