"""pricing.api.shopper: the one Shopper the storefront's cards and the cart
price for, with the customer's groups from accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pricing import api
from pricing.dtos import Customer, Shopper


@pytest.mark.django_db
def test_a_customer_is_priced_with_their_groups_and_a_guest_costs_no_query(
    django_assert_num_queries,
):
    customer = get_user_model().objects.create_user(username="ann@example.com")
    customer.groups.add(Group.objects.create(name="wholesale"))
    with django_assert_num_queries(1):
        assert api.shopper(customer_id=customer.pk, visitor_id="v1") == Shopper(
            customer=Customer(customer_id=customer.pk, groups=("wholesale",)), visitor_id="v1"
        )
    with django_assert_num_queries(0):
        assert api.shopper(customer_id=None, visitor_id="v1") == Shopper(visitor_id="v1")
