"""DRF serializers of accounts' REST endpoints."""

from rest_framework import serializers

from accounts import address_rules
from accounts.dtos import ADDRESS_FIELDS
from kernel.rest import shape_serializer

#: Only shape here: required fields and postal codes are the country rule's job.
PostalAddressSerializer = shape_serializer(
    "PostalAddressSerializer",
    ADDRESS_FIELDS,
    choices={"country": [c.code for c in address_rules.countries()]},
)


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
