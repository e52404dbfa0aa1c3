"""Accounts' cached reads: each customer's pricing groups, and each user's snapshot.

Every page a signed-in customer sees is priced for their groups (pricing
asks ``api.customer_pricing_groups``); cached, a warm page does not ask the
database. Who belongs to which group is written by Django's own auth (the
user and group admins, ``user.groups.add``), not by a service of this
context, so the entries are forgotten on Django's signals for those writes:
a membership changed (``m2m_changed`` of ``User.groups``) and a group saved
(renamed) or deleted. They are the one place that sees every such write.
One generation for all customers: memberships change rarely.

A user's snapshot (accounts/signed_in.py: the row but its password, and
the session hash) lives under a generation of its own per user, forgotten
on Django's signals for that user's save and delete, which every write of
Django's auth and admin sends; a write that sends none (a queryset's
``update()``) is seen within ``USER_TTL_SECONDS``. It is read outside any
page's generations and never answered by a process's own copy
(``kernel.caching.unobserved(checked=True)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from kernel import caching

T = TypeVar("T")

GROUPS = "accounts:groups"
USERS = "accounts:user"
TTL_SECONDS = 3600
USER_TTL_SECONDS = 300


def customer_groups(*, customer_id: int, load: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    return caching.cached(name=GROUPS, key=str(customer_id), load=load, ttl=TTL_SECONDS)


def user_snapshot(*, user_id, secret: str, load: Callable[[], T | None]) -> T | None:
    name, key = user_snapshot_entry(user_id=user_id, secret=secret)
    with caching.unobserved(checked=True):
        return caching.cached(name=name, key=key, load=load, ttl=USER_TTL_SECONDS)


def user_snapshot_entry(*, user_id, secret: str) -> tuple[str, str]:
    """The (name, key) a user's snapshot is cached under (and read ahead by)."""
    return f"{USERS}:{user_id}", secret


def user_changed(*, instance, **_signal) -> None:
    caching.forget_on_commit(f"{USERS}:{instance.pk}")


def groups_changed(**_signal) -> None:
    caching.forget_on_commit(GROUPS)


def connect() -> None:
    """Forget the customers' groups and users' snapshots on every write Django's auth makes."""
    users = get_user_model()
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(user_changed, sender=users, dispatch_uid=f"accounts.user.{name}")
    memberships = users.groups.through
    m2m_changed.connect(groups_changed, sender=memberships, dispatch_uid="accounts.groups.m2m")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        for sender in (Group, memberships):
            uid = f"accounts.{sender._meta.model_name}.{name}"
            signal.connect(groups_changed, sender=sender, dispatch_uid=uid)
