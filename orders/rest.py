"""Orders' REST endpoints for the mobile app and back office, mounted under /api/v1/.

Customers see and pay only their own orders: any other order number is a
404, exactly like one that does not exist. A guest checks out a cart by its
token (``POST orders/``, no account) and reads and pays the order with the
access token answered then, or by proving the order with its number and
e-mail (``POST orders/lookup/``, throttled like the storefront's page; see
`orders.access`). Staff endpoints (capture, refund) need staff status and
the matching permission. Every POST with a side effect requires an
``Idempotency-Key`` (see `orders.idempotency`); session-authenticated
requests need the CSRF token, as everywhere in DRF.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, NotFound, ParseError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.money import Money
from kernel.query import reads_query
from kernel.rest import (
    PageQuery,
    TryAgainIn,
    domain_problem,
    existing_page,
    problem_response,
)
from orders import access, numbers, payments, selectors
from orders.cart import rest as cart_rest
from orders.cart.pricing import shopper_of
from orders.checkout import services as checkout
from orders.dtos import CheckoutConflict, OrderDetail
from orders.idempotency import HEADER, KEY_PATTERN, MAX_KEY_LENGTH, idempotent, submission_token
from orders.lifecycle import actor_of
from orders.models import Order
from orders.providers import PROVIDERS
from orders.providers.base import Card, InvalidWebhook
from orders.serializers import (
    CheckoutSerializer,
    GuestOrderSerializer,
    OrderDetailSerializer,
    OrderLookupSerializer,
    OrderPageSerializer,
    PaymentConfirmSerializer,
    PaymentSerializer,
    PaymentStartSerializer,
    RefundSerializer,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    OpenApiParameter.HEADER,
    required=True,
    description="A key of your own for this attempt (a UUID): a retry with the same key "
    "and body gets the first answer again.",
)
ORDER_ACCESS_TOKEN = OpenApiParameter(
    access.HEADER,
    str,
    OpenApiParameter.HEADER,
    description="A guest's order: the access token answered at placing or lookup.",
)


def _readable_order(request, number: str) -> Order:
    """The caller's own order, or the one its ``Order-Access-Token`` grants; else 404.

    An anonymous caller with no access token (or an empty one) is asked to authenticate (401).
    """
    if not request.user.is_authenticated and not request.headers.get(access.HEADER, "").strip():
        raise NotAuthenticated()
    orders = Order.objects.filter(number=numbers.normalise(number))
    if not access.granted(request, number):
        orders = orders.filter(customer_id=request.user.pk) if request.user.pk else orders.none()
    order = orders.first()
    if order is None:
        raise NotFound("No such order.")
    return order


class _StaffMay(BasePermission):
    """Staff holding ``orders.<permission>``: checked by DRF before the view runs, so a
    refused caller's Idempotency-Key is never claimed and nothing is looked up."""

    permission = ""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user.is_staff and user.has_perm(f"orders.{self.permission}"))


def _staff_may(permission: str) -> type[BasePermission]:
    return type(f"StaffMay_{permission}", (_StaffMay,), {"permission": permission})


def _any_order(number: str) -> Order:
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
    """The signed-in customer's orders, newest first, 20 a page (``?page=2``); anyone places."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderPageSerializer

    def get_permissions(self):
        """Placing is open to guests (their cart token is the proof); listing is not."""
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(
        operation_id="orders_list",
        parameters=[PageQuery],
        responses=OrderPageSerializer,
    )
    @reads_query
    def get(self, request, **kwargs):
        wanted = PageQuery.number(request)
        orders = selectors.orders_of_customer(customer_id=request.user.pk, page=wanted)
        existing_page(orders, wanted)
        return Response(OrderPageSerializer(orders, context={"request": request}).data)

    @extend_schema(
        operation_id="orders_place",
        request=CheckoutSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: OrderDetailSerializer, 404: None, 409: None},
    )
    @idempotent(atomic=False)
    def post(self, request, **kwargs):
        """Checkout for the app: the cart's order, placed once per Idempotency-Key.

        A guest's answer adds ``access_token``, the ``Order-Access-Token`` to
        read and pay the order with.
        """
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            detail = self._placed(request, data)
        except checkout.TotalChanged as changed:
            # Answered, not raised, so the Idempotency-Key keeps this answer
            # (a raised error releases the key); the body is the error's own.
            return problem_response(domain_problem(changed), changed.http_status)
        serializer = OrderDetailSerializer if detail.customer_id else GuestOrderSerializer
        return Response(serializer(detail).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _placed(request, data: dict) -> OrderDetail:
        """The order placed now, or by an earlier try whose answer was lost.

        The storefront's placement: one transaction per context, so it runs
        outside the key's (``atomic=False``). An earlier try with this key
        left its order under the key's token, and no cart: placing deletes it.
        """
        token = submission_token(request)
        try:
            cart = cart_rest.cart_of(request, data["cart"])
        except NotFound:
            number = checkout.placed_order_number(token=token)
            if number is None:
                _refuse_placed_again(request, data["cart"])
                raise
            return selectors.order_by_number(number=number)
        return checkout.checkout_place(
            cart=cart,
            shopper=shopper_of(request.user),
            token=token,
            actor=actor_of(request.user),
            expected_total=data.get("expected_total", checkout.ANY_TOTAL),
            details=cart_rest.checked_details(request, cart, data),
        )


def _refuse_placed_again(request, cart_token: str) -> None:
    """A 409 naming the order, when the cart was placed already under another key (an app
    that lost the answer and retried with a new one); the caller's 404 otherwise, and for
    a cart of another customer's (nothing is told of it)."""
    number = checkout.order_number_of_placed_cart(cart_token=cart_token)
    if number is None:
        return
    order = selectors.order_by_number(number=number)
    if order.customer_id is not None and order.customer_id != request.user.pk:
        return
    raise CheckoutConflict(
        gettext("This cart was placed already, as order %(number)s.") % {"number": number},
        code="cart_already_placed",
    )


class OrderLookupView(APIView):
    """A guest proves an order with its number and e-mail: the order and an access token.

    A wrong pair is a 404 like no order; failures are counted per client
    address and throttled (429 with ``Retry-After``), as on the storefront.
    """

    serializer_class = GuestOrderSerializer

    @extend_schema(request=OrderLookupSerializer, responses={200: GuestOrderSerializer, 404: None})
    def post(self, request, **kwargs):
        serializer = OrderLookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            detail = access.lookup(request, **serializer.validated_data)
        except access.LookupThrottled as throttled:
            raise TryAgainIn(access.LOOKUP_WINDOW_SECONDS, str(throttled)) from None
        if detail is None:
            raise NotFound("No such order.")
        return Response(GuestOrderSerializer(detail).data)


class OrderDetailView(APIView):
    """One's own order, or a guest's with its ``Order-Access-Token``."""

    serializer_class = OrderDetailSerializer

    @extend_schema(parameters=[ORDER_ACCESS_TOKEN])
    def get(self, request, number: str, **kwargs):
        order = _readable_order(request, number)
        return Response(OrderDetailSerializer(selectors.order_by_number(number=order.number)).data)


class PaymentStartView(APIView):
    """Pay one's own order, or a guest's with its access token. A declined card: 402."""

    serializer_class = PaymentStartSerializer

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY, ORDER_ACCESS_TOKEN],
        responses={201: PaymentSerializer, 402: PaymentSerializer},
    )
    @idempotent
    def post(self, request, number: str, **kwargs):
        order = _readable_order(request, number)
        serializer = PaymentStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        card = serializer.validated_data.get("card")
        payment = payments.payment_start(
            order_id=order.pk,
            provider_code=serializer.validated_data["provider"],
            card=Card(**card) if card else None,
            actor=actor_of(request.user),
            attempt_key=submission_token(request),
        )
        return _payment_response(order, payment.pk, created=True)


class PaymentConfirmView(APIView):
    """Complete a payment that requires action (3-D Secure) with the bank's token."""

    serializer_class = PaymentConfirmSerializer

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY, ORDER_ACCESS_TOKEN],
        responses={200: PaymentSerializer, 402: PaymentSerializer},
    )
    @idempotent
    def post(self, request, number: str, payment_id: int, **kwargs):
        order = _readable_order(request, number)
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

    permission_classes = [IsAuthenticated, _staff_may("capture_payment")]
    serializer_class = PaymentSerializer

    @extend_schema(parameters=[IDEMPOTENCY_KEY], request=None, responses=PaymentSerializer)
    @idempotent
    def post(self, request, number: str, payment_id: int, **kwargs):
        order = _any_order(number)
        if not order.payments.filter(pk=payment_id).exists():
            raise NotFound("No such payment.")
        payments.payment_capture(payment_id=payment_id, actor=actor_of(request.user))
        return _payment_response(order, payment_id)


class RefundView(APIView):
    """Staff: refund an amount (or all that is left) of a paid order."""

    permission_classes = [IsAuthenticated, _staff_may("refund_order")]
    serializer_class = RefundSerializer

    @extend_schema(parameters=[IDEMPOTENCY_KEY], responses={201: OrderDetailSerializer})
    @idempotent
    def post(self, request, number: str, **kwargs):
        order = _any_order(number)
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
    retry storm of 500s), raised so that it is the API's problem document
    (code ``invalid_webhook``) like every other refusal; a repeated event is
    acknowledged with 200.
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
            raise ParseError(str(invalid), code="invalid_webhook") from None
        return Response({"result": result})


urlpatterns = [
    *cart_rest.urlpatterns,
    path("orders/", OrderListView.as_view(), name="orders-list"),
    path("orders/lookup/", OrderLookupView.as_view(), name="orders-lookup"),
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
