"""Accounts' tables. Private: other contexts read addresses through ``accounts.api``.

The user model is Django's own; an address refers to its owner by
``customer_id`` (the user's id), like every other context does, so the
address book could move out with accounts without a cross-table relation.
"""

from django.db import models
from django.db.models import Q

from accounts.address_rules import RULES
from accounts.dtos import ADDRESS_FIELDS

#: The columns' lengths are the published address shape's (accounts.dtos).
_MAX = {spec.name: spec.max_length for spec in ADDRESS_FIELDS}


class Address(models.Model):
    customer_id = models.BigIntegerField(db_index=True)
    label = models.CharField(max_length=60, blank=True, help_text="e.g. Home, Office")
    full_name = models.CharField(max_length=_MAX["full_name"])
    company = models.CharField(max_length=_MAX["company"], blank=True)
    line1 = models.CharField("address line 1", max_length=_MAX["line1"])
    line2 = models.CharField("address line 2", max_length=_MAX["line2"], blank=True)
    postal_code = models.CharField(max_length=_MAX["postal_code"])
    city = models.CharField(max_length=_MAX["city"])
    region = models.CharField("state / region", max_length=_MAX["region"], blank=True)
    country = models.CharField(
        max_length=_MAX["country"], choices=[(c, r.country.name) for c, r in RULES.items()]
    )
    phone = models.CharField(max_length=_MAX["phone"], blank=True)
    is_default_shipping = models.BooleanField(default=False)
    is_default_billing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-is_default_shipping", "-is_default_billing", "-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_id"],
                condition=Q(is_default_shipping=True),
                name="one_default_shipping_address",
            ),
            models.UniqueConstraint(
                fields=["customer_id"],
                condition=Q(is_default_billing=True),
                name="one_default_billing_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.full_name}, {self.postal_code} {self.city} ({self.country})"
