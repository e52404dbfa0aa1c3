"""Composed REST endpoints: one response built from several contexts."""

from django.conf import settings
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.storefront import composition
from commerce.storefront.serializers import ProductOfferSerializer


class ProductOfferView(APIView):
    """A product with its current price and availability, by SKU."""

    @extend_schema(responses=ProductOfferSerializer, operation_id="product_offer_retrieve")
    def get(self, request, sku: str, **kwargs):
        offer = composition.offer_by_sku(sku=sku, currency=settings.DEFAULT_CURRENCY)
        if offer is None:
            raise Http404("No product with this SKU.")
        return Response(ProductOfferSerializer(offer).data)


urlpatterns = [
    path("products/<str:sku>/", ProductOfferView.as_view(), name="product-offer"),
]
