"""Verified purchases come from orders' order_delivered events, never from orders' tables."""

from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import api as catalog_api
from catalog.dtos import ListingQuery, Sort
from kernel.outbox import publish, publisher_database
from kernel.relay import deliver
from kernel.tests.outboxes import deliveries_of
from orders.events import EventLine, OrderDelivered
from reviews.models import Purchase, Review
from reviews.tests.factories import write

pytestmark = pytest.mark.django_db(transaction=True)


def delivered(customer_id, *skus):
    return OrderDelivered(
        order_number="CM-2222-3333",
        customer_id=customer_id,
        lines=tuple(EventLine(sku=sku, quantity=1) for sku in skus),
        delivered_at=timezone.now(),
    )


def test_a_delivered_order_verifies_the_customers_reviews_once(products, ada):
    review = write(ada, products["MUG"])

    publish(delivered(ada.pk, "MUG-S", "TEA", "NOT-IN-CATALOG"))

    assert Review.objects.get(pk=review.id).verified_purchase
    assert sorted(Purchase.objects.values_list("sku", "product_id")) == [
        ("MUG-S", products["MUG"]),
        ("NOT-IN-CATALOG", None),
        ("TEA", products["TEA"]),
    ]
    redelivered = deliveries_of(OrderDelivered.event_type).filter(
        subscriber="reviews.purchases.order_delivered"
    )
    assert redelivered.exists()
    for delivery in redelivered:  # in orders' database, beside its event
        deliver(delivery.pk, publisher_database(OrderDelivered.event_type))  # changes nothing
    assert Purchase.objects.count() == 3


def test_a_guest_order_records_nothing(products):
    publish(delivered(None, "TEA"))
    assert not Purchase.objects.exists()


def test_a_published_review_reaches_the_catalogs_listing_once_relayed(products, ada):
    publish(delivered(ada.pk, "TEA"))
    write(ada, products["TEA"], rating=4)

    top = catalog_api.listing(query=ListingQuery(sort=Sort.RATING)).page.items[0]
    assert (top.sku, top.rating_average, top.rating_count) == ("TEA", Decimal("4.00"), 1)
