"""App tokens end with the password they were signed in with.

Django tells every configured password validator when a password was
changed (``password_changed``), wherever it was changed: the account page,
a reset link, the admin, the API. This validator judges nothing; it listens
there and deletes the user's app tokens (django-rest-knox), so a stolen
phone or a leaked token stops working as soon as the owner changes the
password. Sessions end the same way through Django's session hash.
"""

from __future__ import annotations

from django.utils.translation import gettext
from knox.models import get_token_model


class RevokeTokensOnChange:
    def validate(self, password, user=None) -> None:
        """Any password is fine as far as tokens are concerned."""

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            get_token_model().objects.filter(user_id=user.pk).delete()

    def get_help_text(self) -> str:
        """Shown with the other validators' rules on the password forms."""
        return gettext("Changing your password signs the app out on every device.")
