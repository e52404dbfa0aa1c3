"""DRF serializers of inventory's REST endpoints: input checks and DTO views."""

from __future__ import annotations

from rest_framework import serializers

from kernel.rest import ClosedSerializer, SkuListField

#: A request may ask about one listing page's worth of SKUs and then some.
MAX_SKUS_PER_REQUEST = 100
#: A query string cannot be longer: the edge refuses URLs over EDGE_MAX_URL_LENGTH (2048).
MAX_QUERY_VALUE_LENGTH = 2000


class AvailabilityQuerySerializer(serializers.Serializer):
    skus = SkuListField(
        most=MAX_SKUS_PER_REQUEST,
        max_length=MAX_QUERY_VALUE_LENGTH,
        help_text=f"Comma-separated SKUs, at most {MAX_SKUS_PER_REQUEST}.",
    )


class SkuAvailabilitySerializer(serializers.Serializer):
    sku = serializers.CharField()
    status = serializers.CharField()
    quantity_shown = serializers.IntegerField()
    purchasable = serializers.BooleanField()


class SkuAvailabilityListSerializer(serializers.Serializer):
    results = SkuAvailabilitySerializer(many=True)


class StockChangeInputSerializer(ClosedSerializer):
    warehouse = serializers.SlugField(max_length=32, help_text="Warehouse code.")
    sku = serializers.CharField(max_length=64)
    reference = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class StockReceiptSerializer(StockChangeInputSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)


class StockAdjustmentSerializer(StockChangeInputSerializer):
    quantity_delta = serializers.IntegerField(
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text="Units to add (positive) or remove (negative); not zero.",
    )
    reason = serializers.CharField(max_length=200, help_text="Why, e.g. 'damaged in storage'.")

    def validate_quantity_delta(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("An adjustment must change the quantity.")
        return value


class StockLevelSerializer(serializers.Serializer):
    sku = serializers.CharField()
    warehouse = serializers.CharField()
    on_hand = serializers.IntegerField()
    allocated = serializers.IntegerField()
    reserved = serializers.IntegerField()
    available = serializers.IntegerField()


class StockShortageSerializer(serializers.Serializer):
    sku = serializers.CharField()
    requested = serializers.IntegerField()
    available = serializers.IntegerField()


class InsufficientStockSerializer(serializers.Serializer):
    detail = serializers.CharField()
    shortages = StockShortageSerializer(many=True)
