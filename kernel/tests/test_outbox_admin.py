"""The outbox in the admin: staff see what failed and why; only those who
may change deliveries can retry them."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from kernel import relay
from kernel.databases import database_of
from kernel.models import Delivery, OutboxEvent
from kernel.outbox import publish
from kernel.tests.queries import captured_queries
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER, WITNESS

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:shared_delivery_changelist")


def staff(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="shared", codename__in=codenames)
    )
    return user


@pytest.fixture
def dead_delivery(settings) -> Delivery:
    settings.OUTBOX_MAX_ATTEMPTS = 1
    publish(ProbeHappened(label="doomed", fail=True))
    relay.relay(dispatch=relay.deliver_due)
    return Delivery.objects.get(subscriber=RECORDER, status=Delivery.Status.DEAD)


def action_names(response) -> set[str]:
    action_form = response.context["action_form"]  # None when no action is allowed
    return {name for name, _ in action_form.fields["action"].choices} if action_form else set()


def retry(client, *deliveries: Delivery):
    return client.post(
        CHANGELIST,
        {"action": "retry_now", "_selected_action": [d.pk for d in deliveries], "index": 0},
    )


def test_staff_see_failed_deliveries_with_their_error(client, dead_delivery):
    client.force_login(staff("viewer", "view_delivery"))
    response = client.get(CHANGELIST, {"status": "dead"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [dead_delivery]
    content = response.content.decode()
    assert "RuntimeError: probe asked to fail for doomed" in content
    assert "Failed (gave up)" in content


def test_the_event_page_shows_where_it_went(client, dead_delivery):
    client.force_login(staff("viewer", "view_outboxevent", "view_delivery"))
    response = client.get(reverse("admin:shared_outboxevent_change", args=[dead_delivery.event_id]))
    assert response.status_code == 200
    content = response.content.decode()
    assert RECORDER in content
    assert WITNESS in content
    assert "probe asked to fail for doomed" in content


def test_viewers_get_no_retry_action_and_cannot_forge_one(client, dead_delivery):
    client.force_login(staff("viewer", "view_delivery"))
    assert "retry_now" not in action_names(client.get(CHANGELIST))
    retry(client, dead_delivery)
    dead_delivery.refresh_from_db()
    assert dead_delivery.status == Delivery.Status.DEAD


def test_retry_now_gives_dead_and_waiting_deliveries_a_fresh_start(client, dead_delivery):
    client.force_login(staff("operator", "view_delivery", "change_delivery"))
    assert "retry_now" in action_names(client.get(CHANGELIST))
    delivered = Delivery.objects.get(subscriber=WITNESS)

    response = retry(client, dead_delivery, delivered)

    assert response.status_code == 302
    dead_delivery.refresh_from_db()
    assert dead_delivery.status == Delivery.Status.PENDING
    assert dead_delivery.next_attempt_at <= timezone.now()
    assert dead_delivery.leased_until is None
    delivered.refresh_from_db()
    assert delivered.status == Delivery.Status.DELIVERED, "a delivered one is left alone"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["1 delivery queued for retry."]


def test_a_retried_delivery_is_picked_up_by_the_next_relay(client, dead_delivery):
    client.force_login(staff("operator", "view_delivery", "change_delivery"))
    retry(client, dead_delivery)
    assert relay.relay(dispatch=relay.deliver_due) == 1
    dead_delivery.refresh_from_db()
    assert dead_delivery.attempts == 2


def test_events_and_deliveries_cannot_be_edited_even_by_a_superuser(admin_client, dead_delivery):
    assert admin_client.get(reverse("admin:shared_delivery_add")).status_code == 403
    url = reverse("admin:shared_delivery_change", args=[dead_delivery.pk])
    admin_client.post(url, {"status": Delivery.Status.DELIVERED})
    dead_delivery.refresh_from_db()
    assert dead_delivery.status == Delivery.Status.DEAD
    assert admin_client.get(reverse("admin:shared_outboxevent_add")).status_code == 403


def test_the_delivery_list_costs_the_same_queries_for_one_row_or_many(admin_client):
    def queries_to_list() -> int:
        with captured_queries() as captured:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(captured)

    publish(ProbeHappened(label="one"))
    relay.fan_out(batch_size=10)
    few = queries_to_list()
    for n in range(20):
        publish(ProbeHappened(label=f"many {n}"))
    relay.fan_out(batch_size=100)
    assert Delivery.objects.count() == 42
    assert OutboxEvent.objects.count() == 21
    assert queries_to_list() == few


def test_an_unknown_database_shows_default_s_outbox(admin_client, dead_delivery):
    response = admin_client.get(CHANGELIST, {"database": "no-such-db'--", "status": "dead"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [dead_delivery]


@pytest.fixture
def dead_in_catalog() -> tuple[str, Delivery]:
    """A dead delivery in the outbox of catalog's own database (split mode)."""
    alias = database_of("catalog")
    event = OutboxEvent.objects.using(alias).create(
        event_type="catalog.product_changed.v1", payload={}, fanned_out_at=timezone.now()
    )
    delivery = Delivery.objects.using(alias).create(
        event=event,
        subscriber="storefront.offer_cache.product_changed",
        status=Delivery.Status.DEAD,
        attempts=3,
        last_error="RuntimeError: the catalog's own failure",
    )
    return alias, delivery


@pytest.mark.split
def test_each_context_s_outbox_is_shown_and_retried_from_its_own_database(
    admin_client, dead_in_catalog
):
    alias, delivery = dead_in_catalog
    assert alias != "default"
    assert delivery not in admin_client.get(CHANGELIST).context["cl"].result_list

    listed = admin_client.get(CHANGELIST, {"database": alias})
    assert list(listed.context["cl"].result_list) == [delivery]
    assert f"?database={alias}" in listed.content.decode()  # the filter offers each database

    preserved = {"_changelist_filters": f"database={alias}"}
    event_page = admin_client.get(
        reverse("admin:shared_outboxevent_change", args=[delivery.event_id]), preserved
    )
    assert event_page.status_code == 200
    assert "the catalog&#x27;s own failure" in event_page.content.decode()  # its deliveries

    admin_client.post(
        f"{CHANGELIST}?database={alias}",
        {"action": "retry_now", "_selected_action": [delivery.pk], "index": 0},
    )
    delivery.refresh_from_db(using=alias)
    assert delivery.status == Delivery.Status.PENDING
