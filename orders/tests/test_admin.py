"""Staff admin: the fulfilment group, finding orders, and every action through the services."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from orders import payments
from orders.models import Order, OrderNote
from orders.providers.base import Card
from orders.tests.factories import line, place

pytestmark = pytest.mark.django_db

VISA = Card(number="4242424242424242", exp_month=1, exp_year=2099, cvc="123")


@pytest.fixture
def fulfilment(client):
    user = get_user_model().objects.create_user("fred", "fred@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Order fulfilment"))
    client.force_login(user)
    return client


def paid(*lines) -> Order:
    order = place(*lines)
    payments.payment_start(order_id=order.pk, provider_code="sandbox", card=VISA, actor="c")
    order.refresh_from_db()
    return order


def act(client, order, action, data=None):
    url = f"/admin/orders/order/{order.pk}/act/{action}/"
    return client.post(url, data) if data is not None else client.get(url)


def test_the_fulfilment_group_has_only_order_permissions_and_no_deletes():
    group = Group.objects.get(name="Order fulfilment")
    perms = list(group.permissions.values_list("content_type__app_label", "codename"))
    assert {app for app, _ in perms} == {"orders"}
    assert not [code for _, code in perms if code.startswith("delete_")]
    assert {"capture_payment", "ship_order", "cancel_order", "refund_order", "add_ordernote"} <= {
        code for _, code in perms
    }
    assert {"view_compensationfailure", "change_compensationfailure"} <= {code for _, code in perms}


def test_the_order_list_filters_by_status_date_and_payment_state(
    fulfilment, django_assert_max_num_queries
):
    paid_order, open_order = paid(), place()
    for _ in range(5):
        paid()

    with django_assert_max_num_queries(12):
        page = fulfilment.get("/admin/orders/order/?status__exact=pending_payment")
    by_payment = fulfilment.get("/admin/orders/order/?payment_state=paid").content.decode()
    today = open_order.placed_at
    by_date = fulfilment.get(
        f"/admin/orders/order/?placed_at__year={today.year}&placed_at__month={today.month}"
    )

    assert open_order.number in page.content.decode()
    assert paid_order.number not in page.content.decode()
    assert paid_order.number in by_payment
    assert open_order.number not in by_payment
    assert open_order.number in by_date.content.decode()


def test_the_order_page_shows_lines_payments_history_and_the_possible_actions(fulfilment):
    order = paid(line("TEA-1"))
    page = fulfilment.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    for text in [
        "TEA-1",
        "Visa •••• 4242",
        "pending_payment",
        "act/ship/",
        "act/refund/",
        "act/cancel/",
    ]:
        assert text in page
    assert "act/capture/" not in page  # nothing left to capture


def test_partial_shipment_with_tracking_then_the_rest_then_delivery(fulfilment):
    order = paid(line("TEA-1", quantity=3), line("MUG-1", quantity=1))
    tea, mug = order.lines.order_by("position")

    form_page = act(fulfilment, order, "ship")
    assert "3 left" in form_page.content.decode()
    act(
        fulfilment,
        order,
        "ship",
        {f"line_{tea.pk}": 1, f"line_{mug.pk}": 0, "tracking_number": "1Z9", "carrier": "UPS"},
    )
    order.refresh_from_db()
    assert order.status == "partially_shipped"
    assert order.shipments.get().tracking_number == "1Z9"

    act(fulfilment, order, "ship", {f"line_{tea.pk}": 2, f"line_{mug.pk}": 1})
    act(fulfilment, order, "deliver", {"reason": "Signed by A. L."})
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.transitions.last().actor.startswith("staff:")


def test_capture_of_a_bank_transfer(fulfilment):
    order = place()
    payment = payments.payment_start(order_id=order.pk, provider_code="bank_transfer", actor="c")
    response = act(fulfilment, order, "capture", {"payment": payment.pk})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "paid"


def test_cancel_and_refunds_go_through_the_state_machine(fulfilment):
    order = paid()
    refused = act(fulfilment, order, "refund", {"amount": "500", "reason": "oops"})
    assert "at most" in refused.content.decode()

    act(fulfilment, order, "refund", {"amount": "10", "reason": "Dented"})
    order.refresh_from_db()
    assert order.status == "partially_refunded"

    too_late = act(fulfilment, order, "cancel", {"reason": "changed mind"})
    assert "cannot become cancelled" in too_late.content.decode()  # the state machine said no
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"

    act(fulfilment, order, "refund", {"amount": "", "reason": "Returned"})
    order.refresh_from_db()
    assert order.status == "refunded"

    fresh = place()
    act(fulfilment, fresh, "cancel", {"reason": "Fraud check failed"})
    fresh.refresh_from_db()
    assert fresh.status == "cancelled"
    assert fresh.transitions.last().reason == "Fraud check failed"


def test_notes_are_added_through_the_service(fulfilment):
    order = place()
    page = fulfilment.get(f"/admin/orders/order/{order.pk}/change/")
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): value for name, value in management.initial.items()}
        )
        for i, form in enumerate(formset.initial_forms):
            data[f"{formset.prefix}-{i}-id"] = form.instance.pk
            data[f"{formset.prefix}-{i}-order"] = order.pk
        if formset.model is OrderNote:
            data[f"{formset.prefix}-0-text"] = "Customer called: leave at the door"

    response = fulfilment.post(f"/admin/orders/order/{order.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert order.notes.get().author.startswith("staff:")


def test_staff_without_the_group_cannot_act_nor_add_or_delete_orders(client):
    order = paid()
    user = get_user_model().objects.create_user("viewer", "v@example.com", "pw", is_staff=True)
    client.force_login(user)
    assert act(client, order, "refund", {"reason": "x"}).status_code == 403
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    assert client.get("/admin/orders/order/add/").status_code == 403
    assert client.post(f"/admin/orders/order/{order.pk}/delete/").status_code == 403


def test_fulfilment_staff_see_compensation_failures(fulfilment):
    assert fulfilment.get("/admin/orders/compensationfailure/").status_code == 200
