"""Django's sign-in signal as a trigger only: the merge rule lives in `cart.services.cart_merge`.

A storefront sign-in merges the session's guest cart. An app's sign-in or
sign-up (``/api/v1/auth/``, a REST request: it has ``data``) merges the
guest cart whose token it sent as ``cart``, and touches no session: the app
then finds the merged cart with ``POST /api/v1/cart/``.
"""

from collections.abc import Mapping

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from orders.cart import session as cart_session


@receiver(user_logged_in, dispatch_uid="orders.merge_cart_at_sign_in")
def merge_cart_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    data = getattr(request, "data", None)
    if data is not None:
        token = data.get("cart") if isinstance(data, Mapping) else None
        if isinstance(token, str) and token:
            cart_session.merge_guest_cart(token=token, user=user)
    elif hasattr(request, "session"):
        cart_session.merge_at_sign_in(request, user)
