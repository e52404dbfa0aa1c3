"""accounts.api.customer_pricing_groups: the one source of a customer's
groups for pricing (pricing.api.shopper asks here), cached (accounts/cache.py)
and fresh after every write Django's auth makes to memberships and groups."""

from django.contrib.auth.models import Group

from accounts import api


def groups_of(customer) -> tuple[str, ...]:
    return api.customer_pricing_groups(customer_id=customer.pk)


def test_a_customers_groups_are_their_sorted_names_read_once(customer, django_assert_num_queries):
    customer.groups.add(Group.objects.create(name="wholesale"), Group.objects.create(name="b2b"))
    with django_assert_num_queries(1):
        assert groups_of(customer) == ("b2b", "wholesale")
    with django_assert_num_queries(0):
        assert groups_of(customer) == ("b2b", "wholesale")


def test_joining_leaving_renaming_and_deleting_are_seen_at_once(customer):
    """As the user admin writes them too (``groups.set`` when its form is saved)."""
    wholesale = Group.objects.create(name="wholesale")
    assert groups_of(customer) == ()
    customer.groups.add(wholesale)
    assert groups_of(customer) == ("wholesale",)
    wholesale.name = "trade"
    wholesale.save()
    assert groups_of(customer) == ("trade",)
    customer.groups.remove(wholesale)
    assert groups_of(customer) == ()
    customer.groups.set([wholesale])
    assert groups_of(customer) == ("trade",)
    wholesale.delete()
    assert groups_of(customer) == ()
