"""REST building blocks shared by every context's API."""

from rest_framework import serializers


class MoneySerializer(serializers.Serializer):
    """A `Money` as the API shows it: ``{"amount": "12.50", "currency": "EUR"}``.

    The amount is a decimal string rounded to the currency's minor unit
    (the shared kernel's rounding): "1200" for JPY, "12.500" for KWD. A
    string, not a JSON number, so no client parses it into a float.
    """

    amount = serializers.CharField(
        source="rounded.amount",
        help_text='A decimal string in the currency\'s minor unit, e.g. "12.50".',
    )
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. EUR.")
