"""DRF serializers of orders' REST endpoints: read-only views of DTOs, and request shapes.

Requests carry no price, total or status: the server knows them; a field a
client adds for them is ignored.
"""

from rest_framework import serializers

from accounts import api as accounts_api
from accounts.dtos import ADDRESS_FIELDS
from kernel.mail_domains import validate_mailable
from kernel.rest import ClosedSerializer, MoneySerializer, PageSerializer, shape_serializer
from orders import access
from orders.providers import PROVIDERS

#: The address an order was shipped or billed to, as snapshotted on it.
AddressSnapshotSerializer = type(
    "AddressSnapshotSerializer",
    (serializers.Serializer,),
    {spec.name: serializers.CharField() for spec in ADDRESS_FIELDS},
)


class OrderLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    shipped_quantity = serializers.IntegerField()
    unit_price = MoneySerializer()
    line_total = MoneySerializer()
    tax = MoneySerializer()


class ShipmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_number = serializers.CharField()
    carrier = serializers.CharField()
    shipped_at = serializers.DateTimeField()


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField()
    status = serializers.CharField()
    amount = MoneySerializer()
    captured = MoneySerializer()
    refunded = MoneySerializer()
    method = serializers.CharField()
    next_action = serializers.CharField()


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    placed_at = serializers.DateTimeField()
    grand_total = MoneySerializer()
    item_count = serializers.IntegerField()


class OrderPageSerializer(PageSerializer):
    results = OrderSummarySerializer(many=True, source="items")


class OrderDetailSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    placed_at = serializers.DateTimeField()
    email = serializers.EmailField()
    lines = OrderLineSerializer(many=True)
    subtotal = MoneySerializer()
    discount_total = MoneySerializer()
    shipping_method = serializers.CharField()
    shipping_total = MoneySerializer()
    tax_total = MoneySerializer()
    grand_total = MoneySerializer()
    refunded_total = MoneySerializer()
    prices_include_tax = serializers.BooleanField()
    shipping_address = AddressSnapshotSerializer()
    billing_address = AddressSnapshotSerializer()
    shipments = ShipmentSerializer(many=True)
    payments = PaymentSerializer(many=True)


class GuestOrderSerializer(OrderDetailSerializer):
    """A guest's order, with the ``Order-Access-Token`` the app reads and pays it with."""

    access_token = serializers.SerializerMethodField()

    def get_access_token(self, order) -> str:
        return access.grant(order.number)


class OrderLookupSerializer(ClosedSerializer):
    number = serializers.CharField(max_length=40)
    email = serializers.EmailField(max_length=254)


class CardSerializer(ClosedSerializer):
    number = serializers.RegexField(
        r"^[0-9 ]{12,23}$", error_messages={"invalid": "Enter the card number."}
    )
    exp_month = serializers.IntegerField(min_value=1, max_value=12)
    exp_year = serializers.IntegerField(min_value=2000, max_value=2100)
    cvc = serializers.RegexField(
        r"^[0-9]{3,4}$", error_messages={"invalid": "Enter the 3 or 4 digit code."}
    )


class PaymentStartSerializer(ClosedSerializer):
    provider = serializers.ChoiceField(choices=sorted(PROVIDERS))
    #: Required by the card methods (``sandbox``): without it, a 422 naming it
    #: (``orders.dtos.CardRequired``).
    card = CardSerializer(required=False)


class PaymentConfirmSerializer(ClosedSerializer):
    token = serializers.CharField(max_length=100)


class RefundSerializer(ClosedSerializer):
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        min_value=0,
        required=False,
        help_text="Omit to refund everything not yet refunded.",
    )
    reason = serializers.CharField(max_length=500)


#: An address as typed: the country one of those shipped to (the schema's
#: enum); required fields and postal codes are checked per country by
#: accounts (``accounts.api.validate_address``, a 422).
AddressInputSerializer = shape_serializer(
    "AddressInputSerializer",
    ADDRESS_FIELDS,
    choices={"country": [country.code for country in accounts_api.supported_countries()]},
)


class CheckoutDetailsSerializer(ClosedSerializer):
    """Who and where: ``POST /api/v1/cart/<token>/checkout/`` (preview) and part of placing."""

    email = serializers.EmailField(required=False, max_length=254, validators=[validate_mailable])
    shipping_address = AddressInputSerializer()
    billing_address = AddressInputSerializer(required=False)
    shipping_method = serializers.CharField(max_length=30)


class CheckoutSerializer(CheckoutDetailsSerializer):
    """``POST /api/v1/orders/``: place the order of one's cart.

    ``expected_total`` is the total the app showed the shopper (the preview's
    ``grand_total``): when given and different from today's, nothing is
    placed (409 with the new total).
    """

    cart = serializers.CharField(max_length=64)
    expected_total = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, min_value=0
    )
