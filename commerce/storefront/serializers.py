"""Serializers of the composed product endpoint (read-only views of DTOs)."""

from rest_framework import serializers


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, source="rounded.amount")
    currency = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class AvailabilitySerializer(serializers.Serializer):
    status = serializers.CharField()
    quantity_shown = serializers.IntegerField()


class ProductOfferSerializer(serializers.Serializer):
    sku = serializers.CharField(source="product.sku")
    title = serializers.CharField(source="product.title")
    slug = serializers.CharField(source="product.slug")
    description = serializers.CharField(source="product.description")
    category = CategoryRefSerializer(source="product.category", allow_null=True)
    price = MoneySerializer(allow_null=True)
    availability = AvailabilitySerializer()
    purchasable = serializers.BooleanField()
