"""App tokens (django-rest-knox) checked in one query; expired ones purged daily.

Knox's ``TokenAuthentication`` reads every other token of the user on every
call to delete those that expired, a second query on each call of a signed-in
app (four calls to place an order). Here a call reads only its own token and
user: an expired token is still refused and deleted when it is presented,
as knox does, and the others are deleted by ``purge_expired`` once a day
(``accounts.tasks.purge_expired_app_tokens``) instead of at someone's next call.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.models import get_token_model
from knox.signals import token_expired
from rest_framework import exceptions


class AppTokenAuthentication(TokenAuthentication):
    """Knox's token authentication without the scan of the user's other tokens."""

    def authenticate_credentials(self, token: bytes):
        """A token that is not ASCII is no token knox issued (they are hex): the 401 of a
        wrong token. Knox decodes the header's bytes as UTF-8 and a byte that is not
        (a Latin-1 "é" arrives as 0xE9) raised, answering any route with a 500."""
        if not token.isascii():
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True


class AppTokenScheme(KnoxTokenScheme):
    """These tokens in the OpenAPI schema: knox's scheme, ``knoxApiToken``."""

    target_class = AppTokenAuthentication


def purge_expired() -> int:
    """Delete the app tokens whose time is up; how many."""
    deleted, _ = get_token_model().objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
