"""DRF serializers of accounts' REST endpoints."""

from rest_framework import serializers

from accounts import address_rules


class PostalAddressSerializer(serializers.Serializer):
    """Only shape here: required fields and postal codes are the country rule's job."""

    full_name = serializers.CharField(max_length=150, allow_blank=True, default="")
    company = serializers.CharField(max_length=150, allow_blank=True, default="")
    line1 = serializers.CharField(max_length=200, allow_blank=True, default="")
    line2 = serializers.CharField(max_length=200, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, allow_blank=True, default="")
    region = serializers.CharField(max_length=60, allow_blank=True, default="")
    country = serializers.ChoiceField(choices=[c.code for c in address_rules.countries()])
    phone = serializers.CharField(max_length=40, allow_blank=True, default="")


class SavedAddressSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(max_length=60, allow_blank=True, default="")
    address = PostalAddressSerializer()
    is_default_shipping = serializers.BooleanField(default=False)
    is_default_billing = serializers.BooleanField(default=False)


class CustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
