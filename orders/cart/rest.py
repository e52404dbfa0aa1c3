"""Cart endpoints for the mobile app, mounted under /api/v1/cart/.

A cart is addressed by its secret token. An anonymous cart answers to
whoever holds the token; a customer's cart only to that customer: anyone
else gets the same 404 as for a token that does not exist. A signed-in
``POST cart/`` returns the customer's one cart. Quantities and codes are
the only inputs: prices come from pricing, never from the request. A
refused change (``CartError``, ``CheckoutError``) is answered by the
kernel's exception handler (a 400 on the field it names; ``OutOfStock`` a
409 with ``code`` "out_of_stock"). A change made but capped at the stock
answers the cart with a ``notices`` entry (``quantity_capped``).
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.dtos import PostalAddress
from kernel.rest import ClosedSerializer, MoneySerializer, Unprocessable
from orders.cart import services as carts
from orders.cart.pricing import priced_cart, shopper_of
from orders.checkout import services as checkout
from orders.dtos import CartNotice
from orders.models import Cart
from orders.serializers import CheckoutDetailsSerializer
from orders.shipping import methods


class DiscountSerializer(serializers.Serializer):
    reason = serializers.CharField()
    amount = MoneySerializer()
    voucher_code = serializers.CharField(allow_null=True)


class CartLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = MoneySerializer(allow_null=True)
    added_unit_price = MoneySerializer()
    price_changed = serializers.BooleanField()
    available = serializers.BooleanField()
    total = MoneySerializer(allow_null=True)
    discounts = DiscountSerializer(many=True)


class QuoteTotalsSerializer(serializers.Serializer):
    subtotal = MoneySerializer()
    discount_total = MoneySerializer()
    tax = MoneySerializer()
    total = MoneySerializer()
    prices_include_tax = serializers.BooleanField()
    order_discounts = DiscountSerializer(many=True)


class NoticeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. quantity_capped")
    sku = serializers.CharField()
    message = serializers.CharField()


class CartSerializer(serializers.Serializer):
    token = serializers.CharField()
    currency = serializers.CharField()
    item_count = serializers.IntegerField()
    lines = CartLineSerializer(many=True)
    voucher_codes = serializers.ListField(child=serializers.CharField())
    refused_vouchers = serializers.SerializerMethodField()
    totals = QuoteTotalsSerializer(source="quote", allow_null=True)
    notices = NoticeSerializer(
        many=True, help_text="About the change just made, e.g. a quantity capped at the stock."
    )

    def get_refused_vouchers(self, view) -> list[dict[str, str]]:
        return [{"code": code, "reason": reason} for code, reason in view.refused_vouchers]


class CartCreateSerializer(ClosedSerializer):
    # Blank is "none", whether a JSON "" or an empty form field.
    visitor_id = serializers.RegexField(
        r"^([A-Za-z0-9_-]{16,64})?$", required=False, allow_blank=True, default=""
    )


class LineAddSerializer(ClosedSerializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(
        min_value=1, max_value=settings.PRICING_MAX_LINE_QUANTITY, default=1
    )


class QuantitySerializer(ClosedSerializer):
    quantity = serializers.IntegerField(
        min_value=0, max_value=settings.PRICING_MAX_LINE_QUANTITY, help_text="0 removes the line."
    )


class VoucherSerializer(ClosedSerializer):
    code = serializers.CharField(max_length=64)


def checked_details(request, cart: Cart, data: dict) -> checkout.CheckoutDetails:
    """The request's checkout details, checked (address errors: a 422 per field).

    The e-mail defaults to the customer's, then the one given before; a
    guest who never gave one is told on the field.
    """
    shipping = data["shipping_address"]
    email = data.get("email") or getattr(request.user, "email", "") or cart.email
    if not email:
        raise Unprocessable({"email": ["Enter your e-mail address."]})
    return checkout.checkout_details_checked(
        email=email,
        shipping_address=PostalAddress(**shipping),
        billing_address=PostalAddress(**data.get("billing_address", shipping)),
        shipping_method=data["shipping_method"],
    )


def cart_of(request, token: str) -> Cart:
    """The cart with this token if the caller may use it; else 404 (never 403: no hint)."""
    cart = carts.cart_by_token(token=token)
    if cart is None or (cart.customer_id is not None and cart.customer_id != request.user.pk):
        raise NotFound("No such cart.")
    return cart


def valid(serializer_class, request, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def answer(
    request, cart: Cart, code: int = status.HTTP_200_OK, notice: CartNotice | None = None
) -> Response:
    view = priced_cart(cart=cart, shopper=shopper_of(request.user))
    if notice is not None:
        view = replace(view, notices=(notice,))
    return Response(CartSerializer(view).data, status=code)


class CartCreate(APIView):
    serializer_class = CartSerializer

    @extend_schema(request=CartCreateSerializer, responses={201: CartSerializer})
    def post(self, request):
        data = valid(CartCreateSerializer, request)
        cart = carts.cart_create(
            currency=settings.DEFAULT_CURRENCY,
            customer_id=request.user.pk if request.user.is_authenticated else None,
            visitor_id=data["visitor_id"],
        )
        return answer(request, cart, status.HTTP_201_CREATED)


class CartDetail(APIView):
    serializer_class = CartSerializer

    @extend_schema(request=None, responses=CartSerializer)
    def get(self, request, token: str):
        return answer(request, cart_of(request, token))


class CartLines(APIView):
    serializer_class = CartSerializer

    @extend_schema(
        request=LineAddSerializer,
        responses={
            201: CartSerializer,
            404: OpenApiResponse(description="No product with this SKU is for sale."),
            409: OpenApiResponse(
                description="Out of stock (code out_of_stock), the cart is full (cart_full), "
                "or the line would hold more than an order may (line_full)."
            ),
        },
    )
    def post(self, request, token: str):
        cart = cart_of(request, token)
        data = valid(LineAddSerializer, request)
        notice = carts.cart_add(
            cart=cart, sku=data["sku"], quantity=data["quantity"], shopper=shopper_of(request.user)
        )
        return answer(request, cart, status.HTTP_201_CREATED, notice)


class CartLine(APIView):
    serializer_class = CartSerializer

    @extend_schema(
        request=QuantitySerializer,
        responses={
            200: CartSerializer,
            404: OpenApiResponse(description="No such cart, or this product is not in it."),
            409: OpenApiResponse(description="Out of stock (code out_of_stock)."),
        },
    )
    def patch(self, request, token: str, sku: str):
        cart = cart_of(request, token)
        data = valid(QuantitySerializer, request, partial=True)
        if "quantity" not in data:  # a PATCH that changes nothing
            return answer(request, cart)
        notice = carts.cart_set_quantity(cart=cart, sku=sku, quantity=data["quantity"])
        return answer(request, cart, notice=notice)

    @extend_schema(request=None, responses={200: CartSerializer})
    def delete(self, request, token: str, sku: str):
        cart = cart_of(request, token)
        carts.cart_remove(cart=cart, sku=sku)
        return answer(request, cart)


class CartVouchers(APIView):
    """Apply a voucher code; tries are throttled (``vouchers``) against guessing codes."""

    serializer_class = CartSerializer
    throttle_scope = "vouchers"

    @extend_schema(
        request=VoucherSerializer,
        responses={
            200: CartSerializer,
            404: OpenApiResponse(description="No voucher has this code (code voucher_unknown)."),
            409: OpenApiResponse(
                description="The cart is empty (code cart_empty), the voucher does not "
                "apply to it (voucher_refused) or is applied already (voucher_applied)."
            ),
        },
    )
    def post(self, request, token: str):
        cart = cart_of(request, token)
        data = valid(VoucherSerializer, request)
        carts.voucher_apply(cart=cart, code=data["code"], shopper=shopper_of(request.user))
        return answer(request, cart)


class CartVoucher(APIView):
    serializer_class = CartSerializer

    @extend_schema(request=None, responses={200: CartSerializer})
    def delete(self, request, token: str, code: str):
        cart = cart_of(request, token)
        carts.voucher_remove(cart=cart, code=code)
        return answer(request, cart)


class ShippingOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    price = MoneySerializer()


class CheckoutPreviewSerializer(serializers.Serializer):
    """Exactly what placing the order will charge (as long as prices do not change)."""

    cart = CartSerializer(source="summary.cart")
    shipping_method = serializers.CharField(source="summary.shipping_method.code")
    shipping = MoneySerializer(source="summary.shipping")
    shipping_tax = MoneySerializer(source="summary.shipping_tax")
    tax = MoneySerializer(source="summary.quote.tax")
    grand_total = MoneySerializer(source="summary.grand_total")
    shipping_options = ShippingOptionSerializer(many=True)


class CartCheckout(APIView):
    """Start checkout: store the details, hold the stock, answer the amounts to confirm."""

    serializer_class = CheckoutPreviewSerializer

    @extend_schema(
        request=CheckoutDetailsSerializer,
        responses={
            200: CheckoutPreviewSerializer,
            409: OpenApiResponse(
                description="The stock of a line cannot be held: code out_of_stock, "
                "with shortages ({sku, requested, available})."
            ),
        },
    )
    def post(self, request, token: str):
        cart = cart_of(request, token)
        details = checked_details(request, cart, valid(CheckoutDetailsSerializer, request))
        checkout.checkout_details_stored(cart=cart, details=details)
        prefetch_related_objects([cart], "lines")  # held, then priced: read once
        checkout.checkout_start(cart=cart)
        summary = checkout.checkout_summary(
            cart=cart, shopper=shopper_of(request.user), chosen=details.shipping_method
        )
        goods = summary.cart.quote.total
        options = [
            {
                "code": option.code,
                "name": option.name,
                "price": option.price_for(goods_total=goods, item_count=summary.cart.item_count),
            }
            for option in methods(country=cart.shipping_address["country"])
        ]
        data = {"summary": summary, "shipping_options": options}
        return Response(CheckoutPreviewSerializer(data).data)


urlpatterns = [
    path("cart/", CartCreate.as_view(), name="cart-create"),
    path("cart/<str:token>/", CartDetail.as_view(), name="cart-detail"),
    path("cart/<str:token>/lines/", CartLines.as_view(), name="cart-lines"),
    path("cart/<str:token>/lines/<str:sku>/", CartLine.as_view(), name="cart-line"),
    path("cart/<str:token>/checkout/", CartCheckout.as_view(), name="cart-checkout"),
    path("cart/<str:token>/vouchers/", CartVouchers.as_view(), name="cart-vouchers"),
    path("cart/<str:token>/vouchers/<str:code>/", CartVoucher.as_view(), name="cart-voucher"),
]
