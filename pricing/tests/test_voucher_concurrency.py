"""Parallel checkouts racing for the last uses of a code, on PostgreSQL.

Each thread has its own database connection and its own transaction, as
parallel requests do; a barrier releases them together.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from kernel.databases import atomic
from pricing import api
from pricing.dtos import Customer, VoucherRejected
from pricing.models import Voucher, VoucherRedemption
from pricing.tests.conftest import eur, promotion

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS = 24


def race(code: str, *, customers) -> list[str]:
    """Every thread places an order claiming ``code``; returns each outcome."""
    barrier = threading.Barrier(THREADS)

    def checkout(n: int) -> str:
        try:
            barrier.wait()
            with atomic("pricing"):
                api.redeem_vouchers(
                    codes=[code],
                    order_ref=f"O-{n}",
                    customer=Customer(customer_id=customers(n)),
                    subtotal=eur("60.00"),
                )
            return "claimed"
        except VoucherRejected:
            return "rejected"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(checkout, range(THREADS)))


@pytest.fixture
def offer(postgres):
    return promotion("race", scope="order", percent=10, requires_voucher=True)


@pytest.mark.parametrize("uses_left", [1, 5])
def test_a_code_with_n_uses_left_goes_to_exactly_n_checkouts(offer, uses_left):
    Voucher.objects.create(code="LAST", promotion=offer, usage_limit=uses_left)
    outcomes = race("LAST", customers=lambda n: n)
    assert outcomes.count("claimed") == uses_left
    assert outcomes.count("rejected") == THREADS - uses_left
    assert Voucher.objects.get(code="LAST").times_used == uses_left
    assert VoucherRedemption.objects.count() == uses_left


def test_one_customer_racing_from_many_tabs_gets_one_use(offer):
    Voucher.objects.create(code="ONCE", promotion=offer, per_customer_limit=1)
    outcomes = race("ONCE", customers=lambda n: 42)
    assert outcomes.count("claimed") == 1
    assert VoucherRedemption.objects.filter(customer_id=42).count() == 1
