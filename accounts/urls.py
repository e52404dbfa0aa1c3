"""URLs of the account pages, included at the site root under ``account/``."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import RESET_MAIL_TEMPLATES, PasswordResetForm, SignInForm
from kernel.throttle import throttled

# Each POST sends an e-mail: limited per client address (docs/security.md).
_password_reset_throttle = throttled(
    "password-reset", limit_setting="PASSWORD_RESET_LIMIT_PER_HOUR"
)

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/sign-up/", views.sign_up, name="sign_up"),
    path(
        "account/sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("account/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "account/password-reset/",
        _password_reset_throttle(
            auth_views.PasswordResetView.as_view(
                form_class=PasswordResetForm,
                template_name="accounts/password_reset.html",
                **RESET_MAIL_TEMPLATES,
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("account/addresses/", views.address_list, name="addresses"),
    path("account/addresses/new/", views.address_edit, name="address_add"),
    path("account/addresses/<int:address_id>/", views.address_edit, name="address_edit"),
    path("account/addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
]
