"""An older catalog change delivered while a newer one is still committing, on PostgreSQL.

Two workers, each with its own connection and transaction, as two relay
workers are: the newer delivery has written but not committed when the
older one arrives. The older one must wait for it and then be ignored,
not read the placement as it was before and overwrite the newer one.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections

from kernel.databases import atomic, connection_of
from pricing.models import SkuPlacement
from pricing.services.placements import placement_record

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PLACED = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
#: A bound on waiting for the other thread, never reached unless something is broken.
WAIT = 30


def place(categories: tuple[str, ...], at: datetime) -> bool:
    return placement_record(
        product_id=5,
        product_sku="MUG",
        variant_skus=("MUG-S", "MUG-L"),
        category_slugs=categories,
        brand="Acme",
        changed_at=at,
    )


def sessions_waiting_for_a_lock() -> int:
    """Sessions of pricing's database (its own in split mode) waiting for a lock."""
    with connection_of("pricing").cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_an_older_delivery_waits_for_the_newer_one_and_is_ignored(postgres):
    place(("mugs",), PLACED)
    newer_written, commit_newer = threading.Event(), threading.Event()

    def newer() -> bool:
        try:
            with atomic("pricing"):
                applied = place(("cups",), PLACED + timedelta(minutes=2))
                newer_written.set()
                assert commit_newer.wait(WAIT)  # uncommitted until the older one is seen waiting
            return applied
        finally:
            connections.close_all()

    def older() -> bool:
        try:
            assert newer_written.wait(WAIT)
            return place(("kitchen",), PLACED + timedelta(minutes=1))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        newer_applied, older_applied = pool.submit(newer), pool.submit(older)
        deadline = time.monotonic() + WAIT  # the other sessions' progress, not a duration
        while not (sessions_waiting_for_a_lock() or older_applied.done()):
            assert time.monotonic() < deadline, "the older delivery neither waited nor finished"
            time.sleep(0.02)
        assert not older_applied.done(), "the older delivery did not wait for the newer one"
        commit_newer.set()
        assert (newer_applied.result(), older_applied.result()) == (True, False)
    assert {tuple(p.category_slugs) for p in SkuPlacement.objects.all()} == {("cups",)}
