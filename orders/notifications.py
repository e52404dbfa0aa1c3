"""Order e-mails to the shopper: confirmation, shipping, refund (text and HTML).

Sent by a Celery task (`tasks.send_order_email`) that a subscriber of our
own events enqueues, never in a request. Each e-mail is sent at most once
per ``(kind, reference)``: the `SentNotification` row and the send share a
transaction, so a failed send leaves no row and is retried, and a repeated
task finds the row and sends nothing. Each is written in the language of
the page the order was placed from (``Order.language``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kernel.databases import atomic
from orders import pictures, selectors
from orders.models import Order, SentNotification

logger = logging.getLogger(__name__)

SUBJECTS = {
    "confirmation": _("Your order %(number)s"),
    "shipped": _("Your order %(number)s is on its way"),
    "refund": _("A refund for your order %(number)s"),
}


@atomic("orders")
def send_order_email(*, kind: str, order_number: str, reference: str, **context) -> bool:
    """Send the ``kind`` e-mail for an order unless it went out already; True if sent now."""
    _, first_time = SentNotification.objects.get_or_create(kind=kind, reference=reference)
    if not first_time:
        return False
    order = selectors.order_by_number(number=order_number)
    if order is None:
        raise LookupError(f"order {order_number} does not exist")
    context = {"order": pictures.with_pictures(order), "site_url": settings.SITE_URL, **context}
    language = Order.objects.filter(number=order_number).values_list("language", flat=True)[0]
    with translation.override(language):  # the shopper's, outside their request
        message = EmailMultiAlternatives(
            subject=SUBJECTS[kind] % {"number": order.number},
            body=render_to_string(f"orders/email/{kind}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[order.email],
        )
        html = render_to_string(f"orders/email/{kind}.html", context)
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("%s e-mail for order %s sent", kind, order.number)
    return True
