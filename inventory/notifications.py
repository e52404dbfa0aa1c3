"""E-mails inventory sends to staff."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from inventory import selectors


def low_stock_mail(*, sku: str) -> bool:
    """Tell staff that ``sku`` runs low; returns whether a mail went out.

    The quantity is read now rather than taken from the event, so a mail
    that goes out late (retries, a queue backlog) states the current truth.
    Nobody to tell (STAFF_NOTIFICATION_EMAILS empty) is not an error.
    """
    recipients = settings.STAFF_NOTIFICATION_EMAILS
    if not recipients:
        return False
    sellable = selectors.sellable_by_sku(skus=[sku])[sku]
    send_mail(
        subject=f"Low stock: {sku} ({sellable} left)",
        message=(
            f"{sku} is down to {sellable} sellable units over all warehouses "
            f"(threshold {settings.INVENTORY_LOW_STOCK_THRESHOLD}).\n\n"
            "Open the low-stock report in the admin to see every SKU that needs reordering."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return True
