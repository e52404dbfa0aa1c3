"""Accounts' storefront pages: sign-up, the account page and the address book.

Sign-in, sign-out and the password pages are Django's own auth views with
this context's templates (see ``urls``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.dtos import AddressBookFull, AddressNotFound, EmailTaken, InvalidAddress
from accounts.forms import AddressForm, SignUpForm
from kernel.throttle import throttled


@throttled("sign-up", limit_setting="SIGN_UP_LIMIT_PER_HOUR")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.customer_create(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except EmailTaken as taken:  # signed up meanwhile: as the form's own check says
            form.add_error("email", str(taken))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, gettext("Welcome! Your account is ready."))
            return redirect("accounts:account")
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
def account(request):
    addresses = selectors.addresses_of(customer_id=request.user.pk)
    defaults = [a for a in addresses if a.is_default_shipping or a.is_default_billing]
    return render(request, "accounts/account.html", {"default_addresses": defaults})


@login_required
def address_list(request):
    addresses = selectors.addresses_of(customer_id=request.user.pk)
    return render(request, "accounts/address_list.html", {"addresses": addresses})


@login_required
def address_edit(request, address_id: int | None = None):
    """Add an address (no id) or edit one of the signed-in customer's own."""
    if address_id is None:
        initial = {}
    else:
        saved = selectors.address_of(customer_id=request.user.pk, address_id=address_id)
        if saved is None:
            raise Http404("No such address.")
        initial = AddressForm.initial_from(saved)
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.address_save(
                customer_id=request.user.pk,
                address_id=address_id,
                address=data["address"],
                label=data["label"],
                is_default_shipping=data["is_default_shipping"],
                is_default_billing=data["is_default_billing"],
            )
        except AddressNotFound as missing:  # deleted in another tab meanwhile
            raise Http404("No such address.") from missing
        except AddressBookFull as full:
            form.add_error(None, str(full))
        except InvalidAddress as invalid:  # the form checks the same rule; kept for safety
            for name, errors in invalid.errors.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, gettext("Address saved."))
            return redirect("accounts:addresses")
    return render(
        request, "accounts/address_form.html", {"form": form, "is_new": address_id is None}
    )


@login_required
@require_POST
def address_delete(request, address_id: int):
    try:
        services.address_delete(customer_id=request.user.pk, address_id=address_id)
    except AddressNotFound as missing:
        raise Http404("No such address.") from missing
    messages.success(request, gettext("Address deleted."))
    return redirect("accounts:addresses")
