"""The search projection of prices and stock, fed by pricing's and inventory's events."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import handlers
from catalog.models import SkuPrice, SkuStock
from inventory.events import StockChanged
from kernel import relay
from kernel.databases import atomic
from kernel.outbox import publish
from pricing.events import PriceChanged

NOW = timezone.now()


def project_price(sku: str, amount: str, *, at=None, currency: str = "EUR") -> None:
    handlers.on_prices_changed(
        [
            PriceChanged(
                sku=sku,
                currency=currency,
                old_amount=None,
                new_amount=Decimal(amount),
                changed_at=at or timezone.now(),
            )
        ]
    )


def project_stock(sku: str, quantity: int, *, at=None) -> None:
    handlers.on_stocks_changed(
        [StockChanged(sku=sku, quantity=quantity, changed_at=at or timezone.now())]
    )


@pytest.mark.django_db
def test_the_newest_price_wins_whatever_the_order_of_arrival():
    project_price("A", "12.00", at=NOW)
    project_price("A", "9.00", at=NOW - timedelta(seconds=5))  # late, older
    project_price("A", "12.00", at=NOW)  # delivered twice
    assert SkuPrice.objects.get(sku="A", currency="EUR").amount == Decimal("12.00")
    project_price("A", "15.00", at=NOW + timedelta(seconds=1))
    assert SkuPrice.objects.get(sku="A", currency="EUR").amount == Decimal("15.00")


@pytest.mark.django_db
def test_prices_are_kept_per_currency():
    project_price("A", "12.00", currency="EUR")
    project_price("A", "13.00", currency="USD")
    assert dict(SkuPrice.objects.values_list("currency", "amount")) == {
        "EUR": Decimal("12.00"),
        "USD": Decimal("13.00"),
    }


@pytest.mark.django_db
def test_the_newest_stock_wins_whatever_the_order_of_arrival():
    project_stock("A", 0, at=NOW)
    project_stock("A", 7, at=NOW - timedelta(seconds=1))
    assert SkuStock.objects.get(sku="A").quantity == 0


@pytest.mark.django_db
def test_the_projection_follows_pricing_and_inventory_once_events_are_relayed():
    """The lag: nothing changes until the relay delivers the events after commit."""
    publish(PriceChanged("A", "EUR", None, Decimal("4.20"), timezone.now()))
    publish(StockChanged("A", 3, timezone.now()))
    assert not SkuPrice.objects.exists()  # published by pricing, not yet relayed
    relay.relay(dispatch=relay.deliver_due)
    assert SkuPrice.objects.get(sku="A").amount == Decimal("4.20")
    assert SkuStock.objects.get(sku="A").quantity == 3


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_the_projection_is_current_right_after_commit():
    """Tasks run eagerly: the relay runs in the publisher's process after its commit."""
    with atomic("pricing"):  # pricing's transaction: its outbox is in its database
        publish(PriceChanged("B", "EUR", None, Decimal("1.50"), timezone.now()))
        assert not SkuPrice.objects.exists()
    assert SkuPrice.objects.get(sku="B").amount == Decimal("1.50")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_for_one_sku_keep_the_newest_price(postgres):
    """Deliveries run in parallel workers: whatever the interleaving, the newest wins."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection as default_connection
    from django.db import connections

    def deliver(offset: int) -> None:
        try:
            project_price("C", f"{offset}.00", at=NOW + timedelta(seconds=offset))
        finally:
            connections.close_all()

    assert default_connection.vendor == "postgresql"
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(deliver, [3, 7, 1, 8, 2, 6, 5, 4]))
    assert SkuPrice.objects.get(sku="C").amount == Decimal("8.00")


@pytest.mark.django_db
def test_a_price_known_before_its_variant_exists_is_used_once_it_does(structure):
    from catalog.models import ListingPrice, Product
    from tests.builders import sweater, upsert

    project_price("SW-1-M", "30.00")
    project_stock("SW-1-L", 2)
    upsert(sweater())
    product = Product.objects.get(sku="SW-1")
    assert ListingPrice.objects.get(product=product, currency="EUR").amount == Decimal("30.00")
    assert product.in_stock
    project_price("SW-1-S", "25.00")
    project_stock("SW-1-L", 0)
    product.refresh_from_db()
    assert ListingPrice.objects.get(product=product, currency="EUR").amount == Decimal("25.00")
    assert not product.in_stock


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_prices_of_one_products_variants_leave_the_true_minimum(postgres):
    """Each refresh locks the product, so none works from a stale view of the others."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from catalog.models import ListingPrice
    from tests.builders import build_structure, sweater, upsert

    build_structure()
    upsert(sweater())
    amounts = {"SW-1-S": "30.00", "SW-1-M": "20.00", "SW-1-L": "25.00"}

    def deliver(sku: str) -> None:
        try:
            project_price(sku, amounts[sku])
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(deliver, list(amounts) * 3))
    assert ListingPrice.objects.get(currency="EUR").amount == Decimal("20.00")


def price_event(sku: str, amount: str, at) -> PriceChanged:
    return PriceChanged(sku, "EUR", None, Decimal(amount), at)


@pytest.mark.django_db
def test_a_batch_of_prices_keeps_the_newest_of_each_sku_whatever_their_order():
    project_price("A", "12.00", at=NOW)
    handlers.on_prices_changed(
        [
            price_event("A", "9.00", NOW - timedelta(seconds=5)),  # older than what is known
            price_event("B", "5.00", NOW + timedelta(seconds=2)),
            price_event("B", "5.00", NOW + timedelta(seconds=2)),  # delivered twice
            price_event("A", "15.00", NOW + timedelta(seconds=1)),
            price_event("B", "4.00", NOW + timedelta(seconds=1)),  # older, later in the batch
        ]
    )
    assert dict(SkuPrice.objects.values_list("sku", "amount")) == {
        "A": Decimal("15.00"),
        "B": Decimal("5.00"),
    }


@pytest.mark.django_db
def test_a_batch_of_prices_or_stock_costs_the_statements_of_one_event(structure):
    from django.test.utils import CaptureQueriesContext

    from catalog.models import ListingPrice, Product
    from kernel.databases import connection_of
    from tests.builders import sweater, upsert

    for n in range(6):
        upsert(sweater(sku=f"SW-{n}", slug=f"sweater-{n}"))
    skus = [f"SW-{n}-{size}" for n in range(6) for size in ("S", "M", "L")]
    later = NOW + timedelta(seconds=1)
    catalog = connection_of("catalog")

    with CaptureQueriesContext(catalog) as one_price:
        handlers.on_prices_changed([price_event(skus[0], "31.00", NOW)])
    with CaptureQueriesContext(catalog) as prices:
        handlers.on_prices_changed([price_event(sku, "30.00", later) for sku in skus])
    with CaptureQueriesContext(catalog) as one_stock:
        handlers.on_stocks_changed([StockChanged(skus[0], 1, NOW)])
    with CaptureQueriesContext(catalog) as stocks:
        handlers.on_stocks_changed([StockChanged(sku, 2, later) for sku in skus])

    assert len(prices) == len(one_price)
    assert len(stocks) == len(one_stock)
    assert ListingPrice.objects.filter(amount=Decimal("30.00")).count() == 6
    assert Product.objects.filter(in_stock=True).count() == 6


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_of_the_same_skus_in_any_order_keep_the_newest(postgres):
    """Two workers' batches lock the rows they share in the same order: neither
    deadlocks, and the newest price of each SKU wins."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    skus = [f"S-{n}" for n in range(20)]

    def deliver(offset: int) -> None:
        ordered = skus if offset % 2 else list(reversed(skus))
        try:
            handlers.on_prices_changed(
                [
                    price_event(sku, f"{offset}.00", NOW + timedelta(seconds=offset))
                    for sku in ordered
                ]
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(deliver, [3, 7, 1, 8, 2, 6, 5, 4]))
    assert set(SkuPrice.objects.values_list("amount", flat=True)) == {Decimal("8.00")}
