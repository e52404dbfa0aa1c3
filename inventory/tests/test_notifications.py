from inventory import api, tasks
from inventory.dtos import Line
from inventory.models import Reservation
from kernel import relay


def test_low_stock_mails_staff_through_the_outbox_and_a_task(
    put_stock, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["stock@example.com"]
    settings.INVENTORY_LOW_STOCK_THRESHOLD = 5
    put_stock("A", ber=7)

    with django_capture_on_commit_callbacks(execute=True):
        api.reserve(owner="cart:1", lines=[Line("A", 3)])
        relay.relay(dispatch=relay.deliver_due)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["stock@example.com"]
    assert mailoutbox[0].subject == "Low stock: A (4 left)"


def test_no_mail_without_staff_addresses(put_stock, settings, mailoutbox):
    settings.STAFF_NOTIFICATION_EMAILS = []
    put_stock("A", ber=1)

    tasks.notify_staff_of_low_stock(sku="A")

    assert mailoutbox == []


def test_the_beat_schedule_runs_the_purge_task(put_stock, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["inventory-purge-reservations"]
    assert entry["task"] == tasks.purge_expired_reservations.name
    put_stock("A", ber=1)
    api.reserve(owner="cart:1", lines=[Line("A", 1)])
    Reservation.objects.update(expires_at="2000-01-01T00:00:00Z")

    assert tasks.purge_expired_reservations.delay().get() == 1
