"""Customers, drafts and reviews for tests, through the public api."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from reviews import api
from reviews.dtos import ReviewDraft


def make_customer(name: str, **fields):
    return get_user_model().objects.create_user(
        username=f"{name}@example.com",
        email=f"{name}@example.com",
        password="pw",
        first_name=name.title(),
        **fields,
    )


def draft(rating: int = 5, title: str = "Lovely", body: str = "Would buy again.", **more):
    return ReviewDraft(rating=rating, title=title, body=body, **more)


def write(customer, product_id: int, **fields):
    return api.write_review(
        customer_id=customer.pk,
        author_name=customer.first_name,
        product_id=product_id,
        draft=draft(**fields),
    )


def deliver(customer, *skus: str) -> None:
    api.record_delivery(
        customer_id=customer.pk,
        skus=list(skus),
        order_number="CM-TEST",
        delivered_at=timezone.now(),
    )
