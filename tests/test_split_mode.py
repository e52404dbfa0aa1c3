"""Split mode proven: every context in its own PostgreSQL database, as its own role.

Run by ``make pytest-split`` (scripts/split-databases makes the roles and
databases; conftest gives every test all of them and lets each test
database admit only its own role). Elsewhere these tests are skipped with
that reason.

- each context's tables are in its database and nowhere else;
- a context's role cannot reach another context's database;
- an event is written in the publisher's database, in the transaction of
  the change; a committed change reaches every subscriber once (inbox and
  effects in the subscriber's database), a rolled-back one never;
- while a subscriber's database is down its deliveries wait, and they
  complete once it is back, nothing lost, nothing twice.
"""

from contextlib import contextmanager
from decimal import Decimal

import psycopg
import pytest
from django.apps import apps
from django.db import OperationalError, ProgrammingError, connections
from django.utils import timezone

from catalog.models import SkuPrice
from kernel import relay
from kernel.databases import KERNEL_LABEL, atomic, database_of
from kernel.models import Delivery, OutboxEvent, ProcessedEvent
from kernel.money import Money
from kernel.subscribers import subscribers_of
from pricing import api as pricing_api
from pricing.events import PriceChanged
from recommendations.models import SkuState
from tests.builders import simple_product

pytestmark = [pytest.mark.split, pytest.mark.services]

CONTEXTS = ["catalog", "pricing", "inventory", "orders", "reviews", "recommendations", "accounts"]


@pytest.mark.django_db
def test_every_context_s_tables_are_in_its_own_database_and_nowhere_else():
    tables = {alias: set(connections[alias].introspection.table_names()) for alias in connections}
    assert set(CONTEXTS) < set(tables), "every context has a database of its own"
    for model in apps.get_models():
        if model._meta.app_label == KERNEL_LABEL or not model._meta.managed:
            continue
        home = database_of(model._meta.app_label)
        where = {alias for alias, names in tables.items() if model._meta.db_table in names}
        assert where == {home}, model._meta.label
    for alias, names in tables.items():  # the outbox, deliveries and inbox: in every one
        assert {"shared_outboxevent", "shared_delivery", "shared_processedevent"} <= names, alias


@pytest.mark.django_db
@pytest.mark.parametrize("context", CONTEXTS)
def test_a_context_s_role_cannot_reach_another_context_s_database(context):
    own = connections[context].settings_dict
    for other in set(CONTEXTS) - {context}:
        # A stray query, planted: this context's credentials, another's database.
        stray = connections[context].__class__(
            {**own, "NAME": connections[other].settings_dict["NAME"]}, alias=f"stray-{other}"
        )
        with pytest.raises(OperationalError, match="permission denied for database"):
            stray.ensure_connection()
        stray.close()


@pytest.mark.django_db
def test_a_context_s_own_connection_does_not_see_another_context_s_tables():
    with (
        pytest.raises(ProgrammingError, match='relation "catalog_product" does not exist'),
        atomic("orders"),
        connections["orders"].cursor() as cursor,
    ):
        cursor.execute("SELECT count(*) FROM catalog_product")


def price_events(sku: str) -> dict[str, int]:
    """How many price_changed events of ``sku`` each database's outbox holds."""
    return {
        alias: OutboxEvent.objects.using(alias)
        .filter(event_type=PriceChanged.event_type, payload__sku=sku)
        .count()
        for alias in connections
    }


def inbox(sku: str) -> dict[str, dict[str, int]]:
    """Per subscriber of price changes (that wants them): its inbox rows for ``sku``'s
    events, per database."""
    event_ids = list(
        OutboxEvent.objects.using("pricing")
        .filter(event_type=PriceChanged.event_type, payload__sku=sku)
        .values_list("event_id", flat=True)
    )
    return {
        sub.name: {
            alias: ProcessedEvent.objects.using(alias)
            .filter(subscriber=sub.name, event_id__in=event_ids)
            .count()
            for alias in connections
        }
        for sub in subscribers_of(PriceChanged.event_type)
        if sub.wants_events()  # not the front cache's bans: no cache in front here
    }


def once_in_its_own_database(sub_name: str) -> dict[str, int]:
    (sub,) = [s for s in subscribers_of(PriceChanged.event_type) if s.name == sub_name]
    return {alias: int(alias == sub.database) for alias in connections}


def relay_everything() -> None:
    relay.relay(dispatch=relay.deliver_due)


def delivery_of(sku: str, subscriber: str) -> Delivery:
    return (
        Delivery.objects.using("pricing")
        .select_related("event")
        .get(subscriber=subscriber, event__payload__sku=sku)
    )


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_reaches_every_subscriber_once_in_its_own_database():
    simple_product(sku="TEA-1")
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("4.50"), "EUR"))  # commits; relayed

    assert price_events("TEA-1") == {alias: int(alias == "pricing") for alias in connections}
    expected = {name: once_in_its_own_database(name) for name in inbox("TEA-1")}
    assert inbox("TEA-1") == expected
    assert {
        "catalog.search_projection.price_changed",
        "recommendations.profile.price_changed",
    } <= set(expected)
    assert SkuPrice.objects.get(sku="TEA-1", currency="EUR").amount == Decimal("4.50")
    assert SkuState.objects.get(sku="TEA-1").price == Decimal("4.50")

    # Delivered again (a worker died before recording success): no second effect.
    Delivery.objects.using("pricing").update(status=Delivery.Status.PENDING)
    relay_everything()
    assert inbox("TEA-1") == expected


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_reaches_no_subscriber():
    simple_product(sku="TEA-2")

    def change_that_fails_after_publishing() -> None:
        with atomic("pricing"):
            pricing_api.set_price(sku="TEA-2", price=Money(Decimal("9.00"), "EUR"))
            raise RuntimeError("the change fails after publishing")

    with pytest.raises(RuntimeError):
        change_that_fails_after_publishing()
    relay_everything()

    assert set(price_events("TEA-2").values()) == {0}
    assert not SkuPrice.objects.filter(sku="TEA-2").exists()
    assert not SkuState.objects.filter(sku="TEA-2", price__isnull=False).exists()


@contextmanager
def database_down(alias: str):
    """``alias``'s database refuses connections (and loses the open ones) until the end."""
    name = connections[alias].settings_dict["NAME"]
    server = connections[alias].settings_dict
    # Only a superuser may close another role's database; the CI server's is ``postgres``.
    with psycopg.connect(
        host=server["HOST"], port=server["PORT"] or 5432, user="postgres", dbname="postgres"
    ) as admin:
        admin.autocommit = True
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        connections[alias].close()
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


@pytest.mark.django_db(transaction=True)
def test_while_a_subscriber_s_database_is_down_its_deliveries_wait_then_complete():
    simple_product(sku="TEA-3")
    waiting = "recommendations.profile.price_changed"
    with database_down("recommendations"):
        # The change commits; the relay runs at once and reaches the catalog...
        pricing_api.set_price(sku="TEA-3", price=Money(Decimal("7.00"), "EUR"))
        assert SkuPrice.objects.get(sku="TEA-3", currency="EUR").amount == Decimal("7.00")
        # ...while recommendations' delivery failed, waits for its retry, and says why.
        delivery = delivery_of("TEA-3", waiting)
        assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
        assert "recommendations" in delivery.last_error or "connection" in delivery.last_error
        relay_everything()
        assert delivery_of("TEA-3", waiting).attempts == 1, "not retried before its backoff"

    Delivery.objects.using("pricing").filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now()  # its backoff has passed
    )
    relay_everything()

    assert delivery_of("TEA-3", waiting).status == Delivery.Status.DELIVERED
    assert SkuState.objects.get(sku="TEA-3").price == Decimal("7.00")
    assert inbox("TEA-3")[waiting] == once_in_its_own_database(waiting)
