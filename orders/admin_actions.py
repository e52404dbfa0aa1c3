"""The staff actions on an order's admin page: one small form each, one service call each.

A form's ``perform`` is its only write, so transitions are checked,
recorded and published like everywhere else; ``available_actions`` offers
a button only when `orders.rules` says its service would accept the order
now.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from kernel.forms import AmountField, ShownTextField, WholeNumberField
from kernel.money import Money
from orders import payments, rules, services
from orders.models import Order, Payment


class CaptureForm(forms.Form):
    title = "Capture a payment"
    permission = "orders.capture_payment"
    payment = forms.ModelChoiceField(queryset=Payment.objects.none(), empty_label=None)

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].queryset = order.payments.filter(status__in=rules.CAPTURABLE)

    def perform(self, order: Order, actor: str) -> str:
        payment = payments.payment_capture(payment_id=self.cleaned_data["payment"].pk, actor=actor)
        return f"Payment {payment.reference} captured."


class ShipForm(forms.Form):
    title = "Ship"
    permission = "orders.ship_order"
    carrier = forms.CharField(max_length=80, required=False)
    tracking_number = forms.CharField(max_length=80, required=False)

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in order.lines.all() if line.unshipped_quantity]
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = WholeNumberField(
                label=f"{line.title} ({line.sku}), {line.unshipped_quantity} left",
                min_value=0,
                max_value=line.unshipped_quantity,
                initial=line.unshipped_quantity,
            )

    def perform(self, order: Order, actor: str) -> str:
        shipment = services.order_ship(
            order_id=order.pk,
            actor=actor,
            quantities={line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines},
            tracking_number=self.cleaned_data["tracking_number"],
            carrier=self.cleaned_data["carrier"],
        )
        return f"Shipment {shipment.pk} recorded."


class DeliverForm(forms.Form):
    title = "Mark as delivered"
    permission = "orders.ship_order"
    reason = forms.CharField(max_length=300, required=False, help_text="e.g. carrier's proof")

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)

    def perform(self, order: Order, actor: str) -> str:
        services.order_mark_delivered(
            order_id=order.pk, actor=actor, reason=self.cleaned_data["reason"]
        )
        return "Order marked as delivered."


class CancelForm(forms.Form):
    title = "Cancel"
    permission = "orders.cancel_order"
    reason = ShownTextField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)

    def perform(self, order: Order, actor: str) -> str:
        services.order_cancel(order_id=order.pk, actor=actor, reason=self.cleaned_data["reason"])
        return "Order cancelled; open payments were voided and money taken was refunded."


class RefundForm(forms.Form):
    title = "Refund"
    permission = "orders.refund_order"
    amount = AmountField(
        max_digits=14, decimal_places=3, min_value=Decimal("0.001"), required=False
    )
    reason = ShownTextField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "amount"
        ].help_text = f"Leave empty to refund all that is left: {order.refundable}."

    def perform(self, order: Order, actor: str) -> str:
        amount = self.cleaned_data["amount"]
        payments.order_refund(
            order_id=order.pk,
            actor=actor,
            reason=self.cleaned_data["reason"],
            amount=None if amount is None else Money(amount, order.currency),
        )
        return "Refund recorded."


class LineCancelForm(forms.Form):
    title = "Cancel units of a line"
    permission = "orders.cancel_order"
    line = forms.TypedChoiceField(coerce=int, choices=())
    quantity = WholeNumberField(min_value=1, initial=1)
    reason = ShownTextField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [
            (line.pk, f"{line.title} ({line.sku}), {line.unshipped_quantity} not shipped")
            for line in order.lines.all()
            if line.unshipped_quantity
        ]
        self.fields["quantity"].help_text = (
            "Their stock goes back on sale and their share of what was paid is refunded "
            "(after order discounts; shipping and vouchers stay)."
        )

    def perform(self, order: Order, actor: str) -> str:
        refunded = services.order_line_cancel(
            order_id=order.pk,
            line_id=self.cleaned_data["line"],
            quantity=self.cleaned_data["quantity"],
            actor=actor,
            reason=self.cleaned_data["reason"],
        )
        return f"Units cancelled and back on sale; {refunded} refunded."


ACTIONS: dict[str, type[forms.Form]] = {
    "capture": CaptureForm,
    "ship": ShipForm,
    "deliver": DeliverForm,
    "cancel": CancelForm,
    "cancel_line": LineCancelForm,
    "refund": RefundForm,
}


def available_actions(order: Order, user) -> list[tuple[str, str]]:
    """(action, label) of the buttons whose service would accept this order now.

    Asked of the same `orders.rules` the services refuse with, so a button
    is never followed by a refusal the page could have foreseen.
    """
    lines = list(order.lines.all())
    refusals = {
        "capture": rules.capture_refusal(order),
        "ship": rules.ship_refusal(order, lines),
        "deliver": rules.deliver_refusal(order, lines),
        "cancel": rules.cancel_refusal(order),
        "cancel_line": rules.line_cancel_refusal(order, lines),
        "refund": rules.refund_refusal(order),
    }
    return [
        (name, form.title)
        for name, form in ACTIONS.items()
        if refusals[name] is None and user.has_perm(form.permission)
    ]
