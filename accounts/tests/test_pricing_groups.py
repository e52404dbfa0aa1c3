"""accounts.api.customer_pricing_groups: the one source of a customer's
groups for pricing (pricing.api.shopper asks here)."""

from django.contrib.auth.models import Group

from accounts import api


def test_a_customers_groups_are_their_sorted_names(customer, django_assert_num_queries):
    customer.groups.add(Group.objects.create(name="wholesale"), Group.objects.create(name="b2b"))
    with django_assert_num_queries(1):
        assert api.customer_pricing_groups(customer_id=customer.pk) == ("b2b", "wholesale")
