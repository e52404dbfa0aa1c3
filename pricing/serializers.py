"""DRF serializers of pricing's REST endpoints: request validation and read-only DTO views."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from kernel.money import MINOR_UNITS
from kernel.rest import ClosedSerializer, MoneySerializer


class QuoteLineRequestSerializer(ClosedSerializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=settings.PRICING_MAX_LINE_QUANTITY)


class QuoteRequestSerializer(ClosedSerializer):
    """A basket: lines, currency, voucher codes and where/who it is for."""

    lines = QuoteLineRequestSerializer(
        many=True, allow_empty=False, min_length=1, max_length=settings.PRICING_MAX_LINES
    )
    currency = serializers.ChoiceField(
        choices=sorted(MINOR_UNITS), default=settings.DEFAULT_CURRENCY
    )
    voucher_codes = serializers.ListField(
        child=serializers.CharField(max_length=40), default=list, max_length=5
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        help_text="ISO 3166-1 alpha-2 country whose tax rates apply.",
    )
    visitor_id = serializers.CharField(
        max_length=64,
        required=False,
        help_text="Stable anonymous id that keeps a shopper in one experiment variant.",
    )


class AppliedDiscountSerializer(serializers.Serializer):
    promotion = serializers.CharField()
    reason = serializers.CharField()
    amount = MoneySerializer()
    voucher_code = serializers.CharField(allow_null=True)


class ExperimentAssignmentSerializer(serializers.Serializer):
    experiment = serializers.CharField()
    variant = serializers.CharField()
    fell_back = serializers.BooleanField()


class QuoteLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = MoneySerializer()
    compare_at = MoneySerializer(allow_null=True)
    subtotal = MoneySerializer()
    discounts = AppliedDiscountSerializer(many=True)
    total = MoneySerializer()
    tax_rate = serializers.DecimalField(max_digits=6, decimal_places=4)
    tax = MoneySerializer()
    experiment = ExperimentAssignmentSerializer(allow_null=True)


class QuoteSerializer(serializers.Serializer):
    currency = serializers.CharField()
    lines = QuoteLineSerializer(many=True)
    subtotal = MoneySerializer()
    order_discounts = AppliedDiscountSerializer(many=True)
    discount_total = MoneySerializer()
    prices_include_tax = serializers.BooleanField()
    tax_country = serializers.CharField(allow_null=True)
    tax = MoneySerializer()
    total = MoneySerializer()
    voucher_codes = serializers.ListField(child=serializers.CharField())
