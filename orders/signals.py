"""Django's sign-in signal as a trigger only: the merge rule lives in `cart.services.cart_merge`."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from orders.cart import session as cart_session


@receiver(user_logged_in, dispatch_uid="orders.merge_cart_at_sign_in")
def merge_cart_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        cart_session.merge_at_sign_in(request, user)
