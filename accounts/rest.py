"""Accounts' REST endpoints for the mobile app, mounted under /api/v1/.

Every endpoint works on the signed-in customer's own data only; another
customer's address id is simply not found (404).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import auth_rest, selectors, services
from accounts.dtos import PostalAddress
from accounts.serializers import CustomerSerializer, SavedAddressSerializer


class MeView(APIView):
    permission_classes = [IsAuthenticated]
    serializer_class = CustomerSerializer

    def get(self, request):
        customer = selectors.customer(customer_id=request.user.pk)
        return Response(CustomerSerializer(customer).data)


def _save(request, *, address_id: int | None, partial: bool = False):
    """Validate and save; another customer's address is not found before any validation."""
    current = None
    if address_id is not None:
        current = selectors.address_of(customer_id=request.user.pk, address_id=address_id)
        if current is None:
            raise NotFound("No such address.")
    if partial:
        changes = request.data
        if not isinstance(changes, Mapping) or not isinstance(changes.get("address", {}), Mapping):
            raise ValidationError({"address": ["Send an object of the fields to change."]})
        initial = SavedAddressSerializer(current).data
        data = {**initial, **changes}
        data["address"] = {**initial["address"], **changes.get("address", {})}
    else:
        data = request.data
    serializer = SavedAddressSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    fields = serializer.validated_data
    row = services.address_save(
        customer_id=request.user.pk,
        address_id=address_id,
        address=PostalAddress(**fields["address"]),
        label=fields["label"],
        is_default_shipping=fields["is_default_shipping"],
        is_default_billing=fields["is_default_billing"],
    )
    return SavedAddressSerializer(selectors.saved_address(row)).data


class AddressListView(APIView):
    permission_classes = [IsAuthenticated]
    serializer_class = SavedAddressSerializer

    @extend_schema(
        operation_id="accounts_addresses_list", responses=SavedAddressSerializer(many=True)
    )
    def get(self, request):
        addresses = selectors.addresses_of(customer_id=request.user.pk)
        return Response(SavedAddressSerializer(addresses, many=True).data)

    @extend_schema(
        request=SavedAddressSerializer,
        responses={
            201: SavedAddressSerializer,
            409: OpenApiResponse(description="The book is full (code address_book_full)."),
        },
    )
    def post(self, request):
        return Response(_save(request, address_id=None), status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    permission_classes = [IsAuthenticated]
    serializer_class = SavedAddressSerializer

    def get(self, request, address_id: int):
        saved = selectors.address_of(customer_id=request.user.pk, address_id=address_id)
        if saved is None:
            raise NotFound("No such address.")
        return Response(SavedAddressSerializer(saved).data)

    def put(self, request, address_id: int):
        return Response(_save(request, address_id=address_id))

    def patch(self, request, address_id: int):
        return Response(_save(request, address_id=address_id, partial=True))

    def delete(self, request, address_id: int):
        services.address_delete(customer_id=request.user.pk, address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    *auth_rest.urlpatterns,
    path("accounts/me/", MeView.as_view(), name="accounts-me"),
    path("accounts/addresses/", AddressListView.as_view(), name="accounts-addresses"),
    path(
        "accounts/addresses/<int:address_id>/",
        AddressDetailView.as_view(),
        name="accounts-address",
    ),
]
