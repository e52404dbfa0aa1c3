"""Who is signed in, checked against a cached snapshot of the user instead of their row.

Every page a signed-in customer sees starts with Django's session check:
the user's row is read (a query, and the connection's health check) and
the session's hash compared with one derived from the row's password. A
surge of signed-in shoppers asks that of the database on every page, kept
ones included. So the row is also kept in the cache, without its password:
the snapshot holds the other fields and the session hash the password
gives (an HMAC under ``SECRET_KEY``, what each session holds already), and
is forgotten whenever Django saves or deletes the user (accounts/cache.py).

The fast path only answers what Django's own check would: a session of
``ModelBackend`` whose hash equals the snapshot's, for an active user. A
user it answers is loaded with the password deferred (read from the
database only if asked for, e.g. to check it), so saving it never writes
a password it did not read. Everything else (no session, another backend,
a hash that differs, one of ``SECRET_KEY_FALLBACKS``, an inactive user, a
user not in the cache) goes to ``django.contrib.auth.get_user`` unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import router
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from accounts import cache
from kernel import read_ahead

#: The only backend whose ``get_user`` this stands in for (it refuses inactive users).
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
_PASSWORD = "password"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """A user's row but its password, and the session hash its password gives."""

    fields: tuple[str, ...]
    values: tuple
    session_hash: str
    is_active: bool


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with ``request.user`` read through `signed_in`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in(request))


def signed_in(request):
    """``request``'s user, as ``django.contrib.auth.get_user`` gives it (see the module)."""
    if not hasattr(request, "_cached_user"):
        request._cached_user = _from_snapshot(request) or auth.get_user(request)
    return request._cached_user


def _from_snapshot(request):
    session = request.session
    session_hash = session.get(auth.HASH_SESSION_KEY)
    user_id = _snapshot_user_id(session)
    if user_id is None or not session_hash:
        return None
    model = auth.get_user_model()
    snapshot = cache.user_snapshot(
        user_id=user_id, secret=_secret_digest(), load=lambda: _snapshot(model, user_id)
    )
    if snapshot is None or not snapshot.is_active:
        return None
    if not constant_time_compare(session_hash, snapshot.session_hash):
        return None
    return model.from_db(router.db_for_read(model), snapshot.fields, snapshot.values)


def _snapshot_user_id(session):
    """The user whose snapshot may answer for ``session``: one of ``ModelBackend``, whose
    id is one Django would take; else None (Django's own check then decides)."""
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if not user_id or backend != _MODEL_BACKEND or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        return auth.get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:  # a session Django would refuse: let it say so
        return None


def snapshot_read_by(request) -> tuple[tuple[str, str], ...]:
    """The snapshot `signed_in` will read for ``request``'s session, named before it runs
    (kernel.read_ahead)."""
    user_id = _snapshot_user_id(request.session)
    if user_id is None:
        return ()
    return (cache.user_snapshot_entry(user_id=user_id, secret=_secret_digest()),)


def _snapshot(model, user_id) -> _Snapshot | None:
    user = model._default_manager.filter(pk=user_id).first()
    return None if user is None else _snapshot_of(user)


def _snapshot_of(user) -> _Snapshot:
    model = type(user)
    fields = tuple(
        field.attname for field in model._meta.concrete_fields if field.attname != _PASSWORD
    )
    return _Snapshot(
        fields=fields,
        values=tuple(getattr(user, name) for name in fields),
        session_hash=user.get_session_auth_hash(),
        is_active=user.is_active,
    )


def keep_at_sign_in(*, request, user, **_signal) -> None:
    """A user who just signed in is at hand, password and all: their snapshot is kept now,
    so the first page after the sign-in reads no row either (Django's ``user_logged_in``,
    sent after it saved the sign-in's time, which forgot the one before)."""
    session = getattr(request, "session", None)
    if session is not None and session.get(auth.BACKEND_SESSION_KEY) == _MODEL_BACKEND:
        cache.user_snapshot(
            user_id=user.pk, secret=_secret_digest(), load=lambda: _snapshot_of(user)
        )


def connect() -> None:
    user_logged_in.connect(keep_at_sign_in, dispatch_uid="accounts.signed_in.kept")
    read_ahead.register("accounts", snapshot_read_by)


def _secret_digest() -> str:
    """Which ``SECRET_KEY`` a snapshot's hash was made under: a process with another key
    (a rotation rolling out) never takes one made under the old."""
    return hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=8).hexdigest()
