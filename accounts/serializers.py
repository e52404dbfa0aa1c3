"""DRF serializers of accounts' REST endpoints."""

from rest_framework import serializers

from accounts import address_rules
from accounts.dtos import ADDRESS_FIELDS
from kernel.rest import ClosedSerializer, shape_serializer

#: Only shape here: required fields and postal codes are the country rule's job.
PostalAddressSerializer = shape_serializer(
    "PostalAddressSerializer",
    ADDRESS_FIELDS,
    choices={"country": [c.code for c in address_rules.countries()]},
)


class SavedAddressSerializer(ClosedSerializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(max_length=60, allow_blank=True, default="")
    address = PostalAddressSerializer()
    is_default_shipping = serializers.BooleanField(default=False)
    is_default_billing = serializers.BooleanField(default=False)


class CustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class SignUpSerializer(ClosedSerializer):
    """Shape only: the storefront's sign-up form judges the values (one rule for both)."""

    email = serializers.EmailField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    cart = serializers.CharField(
        max_length=64, required=False, help_text="A guest cart's token, merged into the account's."
    )


class SignInSerializer(ClosedSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    cart = serializers.CharField(
        max_length=64, required=False, help_text="A guest cart's token, merged into the account's."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send as "Authorization: Token <token>".')
    expiry = serializers.DateTimeField()
    customer = CustomerSerializer()


class PasswordResetSerializer(ClosedSerializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(ClosedSerializer):
    uid = serializers.CharField(max_length=64, help_text="The link's first part.")
    token = serializers.CharField(max_length=128, help_text="The link's second part.")
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)
