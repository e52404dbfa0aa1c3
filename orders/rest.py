"""Orders' REST endpoints for the mobile app and back office, mounted under /api/v1/.

Customers see and pay only their own orders: any other order number is a
404, exactly like one that does not exist. Staff endpoints (capture, refund)
need the matching permission. Every POST with a side effect requires an
``Idempotency-Key`` (see `orders.idempotency`); session-authenticated
requests need the CSRF token, as everywhere in DRF.
"""

from __future__ import annotations

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.money import Money
from kernel.rest import domain_problem, problem_response
from orders import payments, selectors
from orders.cart import rest as cart_rest
from orders.cart.pricing import shopper_of
from orders.checkout import services as checkout
from orders.idempotency import HEADER, idempotent
from orders.lifecycle import actor_of
from orders.models import Order
from orders.providers import PROVIDERS
from orders.providers.base import Card, InvalidWebhook
from orders.serializers import (
    CheckoutSerializer,
    OrderDetailSerializer,
    OrderPageSerializer,
    PaymentConfirmSerializer,
    PaymentSerializer,
    PaymentStartSerializer,
    RefundSerializer,
)

IDEMPOTENCY_KEY = OpenApiParameter(HEADER, str, OpenApiParameter.HEADER, required=True)


def _own_order(request, number: str) -> Order:
    order = Order.objects.filter(customer_id=request.user.pk, number=number).first()
    if order is None:
        raise NotFound("No such order.")
    return order


def _any_order(request, number: str, permission: str) -> Order:
    if not request.user.has_perm(f"orders.{permission}"):
        raise PermissionDenied()
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise NotFound("No such order.")
    return order


def _payment_response(order: Order, payment_id: int, *, created: bool = False) -> Response:
    view = selectors.payment_view_of(order.payments.get(pk=payment_id), order=order)
    if view.status == "failed":
        code = status.HTTP_402_PAYMENT_REQUIRED
    else:
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(PaymentSerializer(view).data, status=code)


class OrderListView(APIView):
    """The signed-in customer's orders, newest first, 20 a page (``?page=2``)."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderPageSerializer

    @extend_schema(
        operation_id="orders_list",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=OrderPageSerializer,
    )
    def get(self, request, **kwargs):
        orders = selectors.orders_of_customer(
            customer_id=request.user.pk, page=request.query_params.get("page", 1)
        )
        return Response(OrderPageSerializer(orders, context={"request": request}).data)

    @extend_schema(
        operation_id="orders_place",
        request=CheckoutSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: OrderDetailSerializer},
    )
    @idempotent
    def post(self, request, **kwargs):
        """Checkout for the app: the cart's order, placed once per Idempotency-Key."""
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cart = cart_rest.cart_of(request, data["cart"])
        cart_rest.details_set(request, cart, data)
        shopper = shopper_of(request.user)
        expected = data.get("expected_total")
        if expected is None:
            expected = checkout.checkout_summary(cart=cart, shopper=shopper).grand_total.amount
        try:
            number = checkout.checkout_place(
                cart=cart,
                shopper=shopper,
                token=f"api:{request.user.pk}:{request.headers[HEADER]}",
                actor=actor_of(request.user),
                expected_total=expected,
            )
        except checkout.TotalChanged as changed:
            # Answered, not raised, so the Idempotency-Key keeps this answer
            # (a raised error releases the key); the body is the error's own.
            return problem_response(domain_problem(changed), changed.http_status)
        detail = selectors.order_by_number(number=number)
        return Response(OrderDetailSerializer(detail).data, status=status.HTTP_201_CREATED)


class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderDetailSerializer

    def get(self, request, number: str, **kwargs):
        detail = selectors.order_of_customer(customer_id=request.user.pk, number=number)
        if detail is None:
            raise NotFound("No such order.")
        return Response(OrderDetailSerializer(detail).data)


class PaymentStartView(APIView):
    """Pay one's own order awaiting payment. A declined card answers 402 with the payment."""

    permission_classes = [IsAuthenticated]
    serializer_class = PaymentStartSerializer

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={201: PaymentSerializer, 402: PaymentSerializer}
    )
    @idempotent
    def post(self, request, number: str, **kwargs):
        order = _own_order(request, number)
        serializer = PaymentStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        card = serializer.validated_data.get("card")
        payment = payments.payment_start(
            order_id=order.pk,
            provider_code=serializer.validated_data["provider"],
            card=Card(**card) if card else None,
            actor=actor_of(request.user),
            attempt_key=f"{request.user.pk}:{request.headers[HEADER]}",
        )
        return _payment_response(order, payment.pk, created=True)


class PaymentConfirmView(APIView):
    """Complete a payment that requires action (3-D Secure) with the bank's token."""

    permission_classes = [IsAuthenticated]
    serializer_class = PaymentConfirmSerializer

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={200: PaymentSerializer, 402: PaymentSerializer}
    )
    @idempotent
    def post(self, request, number: str, payment_id: int, **kwargs):
        order = _own_order(request, number)
        if not order.payments.filter(pk=payment_id).exists():
            raise NotFound("No such payment.")
        serializer = PaymentConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payments.payment_confirm(
            payment_id=payment_id,
            token=serializer.validated_data["token"],
            actor=actor_of(request.user),
        )
        return _payment_response(order, payment_id)


class PaymentCaptureView(APIView):
    """Staff: take an authorised payment, or record an offline payment's money as received."""

    permission_classes = [IsAuthenticated]
    serializer_class = PaymentSerializer

    @extend_schema(parameters=[IDEMPOTENCY_KEY], request=None, responses=PaymentSerializer)
    @idempotent
    def post(self, request, number: str, payment_id: int, **kwargs):
        order = _any_order(request, number, "capture_payment")
        if not order.payments.filter(pk=payment_id).exists():
            raise NotFound("No such payment.")
        payments.payment_capture(payment_id=payment_id, actor=actor_of(request.user))
        return _payment_response(order, payment_id)


class RefundView(APIView):
    """Staff: refund an amount (or all that is left) of a paid order."""

    permission_classes = [IsAuthenticated]
    serializer_class = RefundSerializer

    @extend_schema(parameters=[IDEMPOTENCY_KEY], responses={201: OrderDetailSerializer})
    @idempotent
    def post(self, request, number: str, **kwargs):
        order = _any_order(request, number, "refund_order")
        serializer = RefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amount = serializer.validated_data.get("amount")
        payments.order_refund(
            order_id=order.pk,
            amount=None if amount is None else Money(amount, order.currency),
            reason=serializer.validated_data["reason"],
            actor=actor_of(request.user),
        )
        detail = selectors.order_by_number_and_email(number=order.number, email=order.email)
        return Response(OrderDetailSerializer(detail).data, status=status.HTTP_201_CREATED)


@extend_schema(exclude=True)
class PaymentWebhookView(APIView):
    """Notifications from a payment provider: signed, not session-authenticated.

    A bad signature or body is a 400 (the provider's problem to fix, no
    retry storm of 500s); a repeated event is acknowledged with 200.
    """

    authentication_classes = []
    permission_classes = []

    def post(self, request, provider: str, **kwargs):
        if provider not in PROVIDERS:
            raise NotFound("No such payment provider.")
        try:
            result = payments.webhook_receive(
                provider_code=provider, body=request.body, headers=request.headers
            )
        except InvalidWebhook as invalid:
            return Response({"detail": str(invalid)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"result": result})


urlpatterns = [
    *cart_rest.urlpatterns,
    path("orders/", OrderListView.as_view(), name="orders-list"),
    path("orders/<str:number>/", OrderDetailView.as_view(), name="orders-detail"),
    path("orders/<str:number>/payments/", PaymentStartView.as_view(), name="orders-payment-start"),
    path(
        "orders/<str:number>/payments/<int:payment_id>/confirm/",
        PaymentConfirmView.as_view(),
        name="orders-payment-confirm",
    ),
    path(
        "orders/<str:number>/payments/<int:payment_id>/capture/",
        PaymentCaptureView.as_view(),
        name="orders-payment-capture",
    ),
    path("orders/<str:number>/refunds/", RefundView.as_view(), name="orders-refund"),
    path(
        "payments/webhooks/<str:provider>/",
        csrf_exempt(PaymentWebhookView.as_view()),
        name="orders-payment-webhook",
    ),
]
