"""Field types shared by the order's, the cart's and the checkout's tables."""

from decimal import Decimal

from django.db import models


def amount_field(**kwargs) -> models.DecimalField:
    """Money amounts: three decimals hold every accepted currency's minor unit."""
    return models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0), **kwargs)
