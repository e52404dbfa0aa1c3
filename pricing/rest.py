"""Pricing's REST endpoints, mounted under /api/v1/ by commerce/urls.py.

Paths are named by this module (e.g. ``pricing/...``), so the root URLconf
never changes when a context adds an endpoint.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from pricing import api
from pricing.dtos import BasketLine, QuoteContext
from pricing.serializers import QuoteRequestSerializer, QuoteSerializer


class QuoteView(APIView):
    """What a basket costs now: prices, discounts with their reasons, tax and total."""

    @extend_schema(
        request=QuoteRequestSerializer,
        responses={
            200: QuoteSerializer,
            400: OpenApiResponse(
                description="Invalid basket; errors are keyed by field "
                "(lines, currency, voucher_codes, country)."
            ),
            404: OpenApiResponse(
                description="A SKU has no price in the currency (code unknown_sku, with "
                "skus), or no voucher has a code (code voucher_unknown, with voucher)."
            ),
            409: OpenApiResponse(
                description="A voucher does not apply to this basket (code voucher_refused)."
            ),
            422: OpenApiResponse(
                description="Lines of one SKU whose quantities together pass the most a line "
                "may hold (errors on lines)."
            ),
        },
        operation_id="pricing_quote_create",
    )
    def post(self, request, **kwargs):
        basket = QuoteRequestSerializer(data=request.data)
        basket.is_valid(raise_exception=True)
        data = basket.validated_data
        quote = api.quote(
            lines=[
                BasketLine(sku=line["sku"], quantity=line["quantity"]) for line in data["lines"]
            ],
            currency=data["currency"],
            customer=api.shopper(
                customer_id=request.user.pk if request.user.is_authenticated else None
            ).customer,
            voucher_codes=data["voucher_codes"],
            context=QuoteContext(country=data.get("country"), visitor_id=data.get("visitor_id")),
        )
        return Response(QuoteSerializer(quote).data)


urlpatterns = [
    path("pricing/quote/", QuoteView.as_view(), name="pricing-quote"),
]
