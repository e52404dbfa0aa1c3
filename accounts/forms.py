"""Forms of the storefront's account pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import address_rules
from accounts.dtos import ADDRESS_FIELDS, EMAIL_TAKEN, InvalidAddress, PostalAddress
from accounts.emails import canonical_email
from kernel.forms import ShownTextField, shape_form
from kernel.mail_domains import validate_mailable
from kernel.translatable import translate

#: The password reset mail, sent by the storefront's page and the API alike.
RESET_MAIL_TEMPLATES = {
    "email_template_name": "accounts/email/password_reset.txt",
    "html_email_template_name": "accounts/email/password_reset.html",
    "subject_template_name": "accounts/email/password_reset_subject.txt",
}


class SignUpForm(forms.Form):
    # autocomplete: a browser fills in the shopper's own details and offers a new password.
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=150,
        validators=[validate_mailable],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = ShownTextField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = ShownTextField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = canonical_email(self.cleaned_data["email"])
        users = get_user_model().objects
        if (
            users.filter(username__iexact=email).exists()
            or users.filter(email__iexact=email).exists()
        ):
            raise forms.ValidationError(translate(EMAIL_TAKEN))
        return email

    def clean(self):
        data = super().clean()
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            candidate = get_user_model()(
                username=data.get("email", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignInForm(AuthenticationForm):
    """Sign in with the e-mail address (the user name of shopper accounts).

    An unknown address and a wrong password get the same message, so the
    form does not tell a guesser which addresses have accounts.
    """

    username = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("E-mail or password is incorrect."),
    }

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        return canonical_email(username) if "@" in username else username


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, finding the account by the address's one form (`accounts.emails`)."""

    def clean_email(self) -> str:
        return canonical_email(self.cleaned_data["email"])


PostalAddressForm = shape_form(
    "PostalAddressForm",
    ADDRESS_FIELDS,
    choices={"country": [(c.code, c.name) for c in address_rules.countries()]},
)


class AddressForm(PostalAddressForm):
    field_order = ["label"]  # then the address, then the defaults

    label = forms.CharField(
        label=_("Label"), max_length=60, required=False, help_text=_("e.g. Home, Office")
    )
    is_default_shipping = forms.BooleanField(label=_("Default shipping address"), required=False)
    is_default_billing = forms.BooleanField(label=_("Default billing address"), required=False)

    def clean(self):
        """Required fields and postal codes are judged by the country's rule, not the form."""
        data = super().clean()
        fields = {name: data.get(name) or "" for name in PostalAddress.__dataclass_fields__}
        try:
            data["address"] = address_rules.validate(PostalAddress(**fields))
        except InvalidAddress as invalid:
            for name, messages in invalid.errors.items():
                for message in messages:
                    self.add_error(name, message)
        return data

    @classmethod
    def initial_from(cls, saved) -> dict:
        return {
            **saved.address.as_dict(),
            "label": saved.label,
            "is_default_shipping": saved.is_default_shipping,
            "is_default_billing": saved.is_default_billing,
        }
