"""Inventory's REST endpoints, mounted under /api/v1/ by commerce/urls.py.

Shoppers' apps read availability; staff (session login, ``is_staff`` and
the matching permission, e.g. the Inventory clerk group) book receipts and
adjustments. Bad input is a 400 naming the field; an adjustment that would
take away units orders hold is a 409 with the shortage. Nothing is written
in either case.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory import selectors, services
from inventory.serializers import (
    AvailabilityQuerySerializer,
    InsufficientStockSerializer,
    SkuAvailabilityListSerializer,
    StockAdjustmentSerializer,
    StockLevelSerializer,
    StockReceiptSerializer,
)
from kernel.query import reads_query
from kernel.rest import read_query


class StaffWithPermission(BasePermission):
    """Staff users holding the view's ``required_permission``."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm(view.required_permission)
        )


class AvailabilityView(APIView):
    """What shoppers may know about the stock of some SKUs (unknown SKUs: out of stock)."""

    @extend_schema(
        parameters=[AvailabilityQuerySerializer],
        responses={
            200: SkuAvailabilityListSerializer,
            400: OpenApiResponse(description="Bad SKUs."),
        },
        operation_id="inventory_availability_list",
    )
    @reads_query
    def get(self, request, **kwargs):
        query = read_query(AvailabilityQuerySerializer, request)
        found = selectors.availability(skus=query["skus"])
        return Response(SkuAvailabilityListSerializer({"results": list(found.values())}).data)


def _stock_level_response(*, sku: str, warehouse_code: str) -> Response:
    (level,) = [lv for lv in selectors.stock_levels(skus=[sku]) if lv.warehouse == warehouse_code]
    return Response(StockLevelSerializer(level).data, status=status.HTTP_201_CREATED)


_STAFF_ERRORS = {
    400: OpenApiResponse(description="A field is missing or invalid (unknown SKU or warehouse)."),
    403: OpenApiResponse(description="Not logged in as staff with the needed permission."),
}


class ReceiptView(APIView):
    """Book a goods receipt: units of a catalog SKU arrived in a warehouse."""

    permission_classes = [StaffWithPermission]
    required_permission = "inventory.receive_stock"

    @extend_schema(
        request=StockReceiptSerializer,
        responses={201: StockLevelSerializer, **_STAFF_ERRORS},
        operation_id="inventory_receipt_create",
    )
    def post(self, request, **kwargs):
        data = StockReceiptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = data.validated_data
        services.stock_receive(
            warehouse_code=receipt["warehouse"],
            sku=receipt["sku"],
            quantity=receipt["quantity"],
            reference=receipt["reference"],
            actor=request.user.get_username(),
        )
        return _stock_level_response(sku=receipt["sku"], warehouse_code=receipt["warehouse"])


class AdjustmentView(APIView):
    """Correct on-hand stock (count, damage, loss, found) with a reason."""

    permission_classes = [StaffWithPermission]
    required_permission = "inventory.adjust_stock"

    @extend_schema(
        request=StockAdjustmentSerializer,
        responses={201: StockLevelSerializer, 409: InsufficientStockSerializer, **_STAFF_ERRORS},
        operation_id="inventory_adjustment_create",
    )
    def post(self, request, **kwargs):
        data = StockAdjustmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        adjustment = data.validated_data
        services.stock_adjust(
            warehouse_code=adjustment["warehouse"],
            sku=adjustment["sku"],
            quantity_delta=adjustment["quantity_delta"],
            reason=adjustment["reason"],
            reference=adjustment["reference"],
            actor=request.user.get_username(),
        )
        return _stock_level_response(sku=adjustment["sku"], warehouse_code=adjustment["warehouse"])


urlpatterns = [
    path("inventory/availability/", AvailabilityView.as_view(), name="inventory-availability"),
    path("inventory/receipts/", ReceiptView.as_view(), name="inventory-receipts"),
    path("inventory/adjustments/", AdjustmentView.as_view(), name="inventory-adjustments"),
]
