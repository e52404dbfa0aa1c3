"""DRF serializers of recommendations's REST endpoints."""

from rest_framework import serializers

from kernel.rest import SkuListField
from recommendations.dtos import Reason

MAX_CART_SKUS = 100


class RecommendationSerializer(serializers.Serializer):
    product_id = serializers.IntegerField(help_text="The catalog's product id.")
    sku = serializers.CharField(help_text="The product code (a variant is chosen on its page).")
    reason = serializers.ChoiceField(choices=[r.value for r in Reason])


class ProductRecommendationsSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    items = RecommendationSerializer(many=True)


class CartRecommendationsSerializer(serializers.Serializer):
    skus = serializers.ListField(child=serializers.CharField())
    items = RecommendationSerializer(many=True)


class RowQuerySerializer(serializers.Serializer):
    """``limit``: how many products (default RECOMMENDATIONS_ROW_SIZE)."""

    limit = serializers.IntegerField(min_value=1, max_value=50, required=False)


class CartQuerySerializer(RowQuerySerializer):
    """``skus``: the basket's SKUs, comma-separated (variant or product SKUs)."""

    # No longer than a URL may be (the edge refuses URLs over 2048 characters).
    skus = SkuListField(most=MAX_CART_SKUS, max_length=2000)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
