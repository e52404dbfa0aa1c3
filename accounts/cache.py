"""Accounts' cached read: each customer's pricing groups.

Every page a signed-in customer sees is priced for their groups (pricing
asks ``api.customer_pricing_groups``); cached, a warm page does not ask the
database. Who belongs to which group is written by Django's own auth (the
user and group admins, ``user.groups.add``), not by a service of this
context, so the entries are forgotten on Django's signals for those writes:
a membership changed (``m2m_changed`` of ``User.groups``) and a group saved
(renamed) or deleted. They are the one place that sees every such write.
One generation for all customers: memberships change rarely.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from kernel import caching

GROUPS = "accounts:groups"
TTL_SECONDS = 3600


def customer_groups(*, customer_id: int, load: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    return caching.cached(name=GROUPS, key=str(customer_id), load=load, ttl=TTL_SECONDS)


def groups_changed(**_signal) -> None:
    caching.forget_on_commit(GROUPS)


def connect() -> None:
    """Forget the customers' groups on every write Django's auth makes to them."""
    memberships = get_user_model().groups.through
    m2m_changed.connect(groups_changed, sender=memberships, dispatch_uid="accounts.groups.m2m")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        for sender in (Group, memberships):
            uid = f"accounts.{sender._meta.model_name}.{name}"
            signal.connect(groups_changed, sender=sender, dispatch_uid=uid)
