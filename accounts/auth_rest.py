"""App authentication under /api/v1/auth/: sign up or in for a token, rotate it, sign out,
reset a forgotten password. All JSON; docs/api.md is the guide.

A token is django-rest-knox's: random, stored only as a hash, one per
device, expiring (``REST_KNOX["TOKEN_TTL"]``), and revocable at once:
signing out deletes it, changing the password deletes them all
(`accounts.passwords`). The rules are the storefront's: sign-up is judged
by its form and throttled per address like its page, sign-in goes through
its form's ``authenticate`` so django-axes counts failures and locks out
(429 with ``Retry-After``), and an unknown account and a wrong password get
one answer. Signing in or up sends Django's ``user_logged_in`` (knox does):
orders listens and merges the guest cart named by ``cart``, without
accounts knowing carts exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import path
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, NotFound, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.app_tokens import AppTokenAuthentication
from accounts.dtos import SignInRefused
from accounts.forms import RESET_MAIL_TEMPLATES, PasswordResetForm, SignInForm, SignUpForm
from accounts.serializers import (
    CustomerSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    SignInSerializer,
    SignUpSerializer,
    TokenSerializer,
)
from kernel.databases import atomic
from kernel.rest import Unprocessable
from kernel.throttle import HOUR, allow, client_ip, window_left


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _form_errors(form, renamed: dict[str, str] | None = None) -> Unprocessable:
    """A form's errors as a 422 by field (the body was well formed), named as the API names them."""
    renamed = {"__all__": "non_field_errors", **(renamed or {})}
    return Unprocessable(
        {renamed.get(name, name): list(messages) for name, messages in form.errors.items()}
    )


def _throttle(request, *, scope: str, limit_setting: str) -> None:
    """The storefront page's per-address hourly limit (`kernel.throttle`), as DRF's 429."""
    if not allow(
        scope=scope, key=client_ip(request), limit=getattr(settings, limit_setting), period=HOUR
    ):
        raise Throttled(wait=window_left(HOUR))


class _TokenIssuer(knox.LoginView):
    """Knox's sign-in view issues the token and sends ``user_logged_in``;
    a subclass decides who ``request.user`` is first."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"  # stricter than any other call (docs/api.md, Protection)
    serializer_class = TokenSerializer

    def issue(self, request, user) -> Response:
        request.user = user
        _without_session(request)
        response = super().post(request)
        _keep_newest_tokens(user)
        return response

    def get_post_response_data(self, request, token, instance):
        customer = selectors.customer(customer_id=request.user.pk)
        return {
            "token": token,
            "expiry": self.format_expiry_datetime(instance.expiry),
            "customer": CustomerSerializer(customer).data,
        }


class SignUpView(_TokenIssuer):
    """Create a customer account and sign it in: 201 with a token."""

    @extend_schema(
        request=SignUpSerializer,
        responses={
            201: TokenSerializer,
            422: OpenApiResponse(
                description="Refused by the sign-up rules (the password rules, an e-mail "
                "already signed up), by field."
            ),
        },
    )
    def post(self, request, format=None):
        _throttle(request, scope="sign-up", limit_setting="SIGN_UP_LIMIT_PER_HOUR")
        data = _valid(SignUpSerializer, request)
        form = SignUpForm({**data, "password1": data["password"], "password2": data["password"]})
        if not form.is_valid():
            raise _form_errors(form, {"password1": "password", "password2": "password"})
        fields = form.cleaned_data
        user = services.customer_create(
            email=fields["email"],
            password=fields["password1"],
            first_name=fields["first_name"],
            last_name=fields["last_name"],
        )
        response = self.issue(request, user)
        response.status_code = status.HTTP_201_CREATED
        return response


class SignInView(_TokenIssuer):
    """A new token for this device. Wrong credentials: 401; locked out: 429 + Retry-After."""

    @extend_schema(
        request=SignInSerializer,
        responses={
            200: TokenSerializer,
            401: OpenApiResponse(description="Wrong e-mail or password (invalid_credentials)."),
        },
    )
    def post(self, request, format=None):
        data = _valid(SignInSerializer, request)
        # The Django request, so axes' marks (a lockout) reach its middleware.
        django_request = request._request
        form = SignInForm(
            django_request, data={"username": data["email"], "password": data["password"]}
        )
        if form.is_valid():
            return self.issue(request, form.get_user())
        if getattr(django_request, "axes_locked_out", False):
            raise Throttled(
                wait=settings.LOGIN_COOLOFF_MINUTES * 60,
                detail="Too many failed sign-in attempts. Please try again later.",
            )
        raise SignInRefused()


class TokenRotateView(APIView):
    """Swap the token sent for a new one with a fresh expiry; the old one stops working."""

    authentication_classes = [AppTokenAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = TokenSerializer

    @extend_schema(request=None, responses={200: TokenSerializer})
    def post(self, request, format=None):
        tokens = get_token_model().objects
        with atomic("accounts"):
            # Deleted by key, once: a parallel rotation (or sign-out) of the same token waits
            # for this one's commit, then finds nothing to delete and mints nothing.
            deleted, _ = tokens.filter(pk=request.auth.pk).delete()
            if not deleted:
                raise AuthenticationFailed("This token was rotated or revoked.")
            instance, token = tokens.create(
                user=request.user, expiry=knox_settings.TOKEN_TTL, prefix=knox_settings.TOKEN_PREFIX
            )
        customer = selectors.customer(customer_id=request.user.pk)
        return Response(
            TokenSerializer({"token": token, "expiry": instance.expiry, "customer": customer}).data
        )


class SignOutView(knox.LogoutView):
    """Revoke the token sent (this device): 204; the token answers 401 from now on."""

    authentication_classes = [AppTokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        _without_session(request)
        return super().post(request, format)


class SignOutEverywhereView(knox.LogoutAllView):
    """Revoke every token of the account (all devices): 204."""

    authentication_classes = [AppTokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        _without_session(request)
        return super().post(request, format)


def _keep_newest_tokens(user) -> None:
    """Revoke the account's oldest tokens past ``API_TOKENS_PER_USER``, the new one kept.

    Every sign-in made a token that lived its 30 days whatever happened to the
    device: an app signing in on each start (or a script in a loop) piled up
    rows without end, each one a credential. Knox's own cap refuses the sign-in
    at the limit, which locks a customer out of the new phone for the old one's
    sake; the oldest is the device least likely to be in use. Pruned after the
    new token is made, so two sign-ins at once both end with the newest kept.
    """
    newest = (
        get_token_model()
        .objects.filter(user=user)
        .order_by("-created")
        .values_list("pk", flat=True)[: settings.API_TOKENS_PER_USER]
    )
    get_token_model().objects.filter(user=user).exclude(pk__in=list(newest)).delete()


def _without_session(request) -> None:
    """An app's sign-in and sign-out have no session: the storefront's is hidden from the
    call, so nothing makes one for it. django-axes hashes the session into its access log
    and would create one: a row and a ``sessionid`` cookie on every app sign-in. Django's
    session middleware passes over a request without one."""
    vars(request._request).pop("session", None)


class PasswordResetView(APIView):
    """Mail a reset link if the address has an account; always 202, so it reveals none."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"
    serializer_class = PasswordResetSerializer

    @extend_schema(request=PasswordResetSerializer, responses={202: None})
    def post(self, request, format=None):
        _throttle(request, scope="password-reset", limit_setting="PASSWORD_RESET_LIMIT_PER_HOUR")
        form = PasswordResetForm(_valid(PasswordResetSerializer, request))
        if form.is_valid():
            form.save(request=request._request, **RESET_MAIL_TEMPLATES)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    """Set a new password with the mailed link's ``uid`` and ``token``: 204, tokens revoked."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"
    serializer_class = PasswordResetConfirmSerializer

    @extend_schema(
        request=PasswordResetConfirmSerializer,
        responses={
            204: None,
            404: OpenApiResponse(description="The link is invalid or was already used."),
            422: OpenApiResponse(description="The password rules refuse the new password."),
        },
    )
    def post(self, request, format=None):
        data = _valid(PasswordResetConfirmSerializer, request)
        user = _user_of_link(data["uid"])
        if user is None or not default_token_generator.check_token(user, data["token"]):
            raise NotFound("This reset link is invalid or was already used.")
        password = data["new_password"]
        form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
        if not form.is_valid():
            raise _form_errors(
                form, {"new_password1": "new_password", "new_password2": "new_password"}
            )
        form.save()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _user_of_link(uid: str):
    try:
        pk = force_str(urlsafe_base64_decode(uid))
        return get_user_model().objects.filter(pk=int(pk), is_active=True).first()
    except (ValueError, TypeError, OverflowError):
        return None


urlpatterns = [
    path("auth/sign-up/", SignUpView.as_view(), name="auth-sign-up"),
    path("auth/sign-in/", SignInView.as_view(), name="auth-sign-in"),
    path("auth/token/rotate/", TokenRotateView.as_view(), name="auth-token-rotate"),
    path("auth/sign-out/", SignOutView.as_view(), name="auth-sign-out"),
    path("auth/sign-out/everywhere/", SignOutEverywhereView.as_view(), name="auth-sign-out-all"),
    path("auth/password-reset/", PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm/",
        PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
]
