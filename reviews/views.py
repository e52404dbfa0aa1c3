"""Reviews's storefront pages: write or edit a review, delete it, vote, report, "My reviews".

The product page's reviews section is composed by the storefront; its
buttons post here and come back to the page they were pressed on.
Writing and editing are throttled per customer (``reviews.throttle``).
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from catalog import api as catalog_api
from kernel.csrf import origin_checked
from kernel.forms import posted_text
from kernel.redirects import back_to_next
from reviews import api, throttle
from reviews.dtos import DuplicateReview, InvalidReview, ReviewError, ReviewStatus
from reviews.forms import ReviewForm, display_name

PUBLISHED_MESSAGE = _("Thank you! Your review is published.")
PENDING_MESSAGE = _("Thank you! Your review will appear once a moderator has approved it.")


def _back(request, fallback: str):
    return back_to_next(request, fallback)


def _posted_from_the_product_page(view):
    """Decorate the vote and report forms, which every shopper's product page holds.

    The page is shared (storefront/page_cache.py), so the forms carry no CSRF
    token: the origin is checked instead (kernel/csrf.py), as for the buy
    box. A shopper not signed in is sent to sign in, then back to the page
    the form was on (not to this POST-only URL).
    """

    @origin_checked
    @require_POST
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            page = _back(request, reverse("storefront:home")).url
            return redirect_to_login(page)
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def write(request, product_id: int):
    """Write a review of a product, or edit one's existing review of it."""
    mine = api.customer_review_of(customer_id=request.user.pk, product_id=product_id)
    product = catalog_api.product_by_id(product_id=product_id)
    if product is None and mine is None:
        raise Http404("No such product.")
    title = product.title if product else mine.product_title
    initial = {}
    if mine is not None:
        initial = {f: getattr(mine, f) for f in ("rating", "title", "body", "pros", "cons")}
    form = ReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            throttle.check(request.user.pk)
            if mine is None:
                review = api.write_review(
                    customer_id=request.user.pk,
                    author_name=display_name(request.user),
                    product_id=product_id,
                    draft=form.draft(),
                )
            else:
                review = api.edit_review(
                    customer_id=request.user.pk, review_id=mine.id, draft=form.draft()
                )
        except InvalidReview as invalid:
            for field, message in invalid.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except (DuplicateReview, throttle.Throttled) as refused:
            form.add_error(None, str(refused))
            status = 429 if isinstance(refused, throttle.Throttled) else 409
        else:
            throttle.count(request.user.pk)
            published = review.status == ReviewStatus.PUBLISHED
            messages.success(request, PUBLISHED_MESSAGE if published else PENDING_MESSAGE)
            return redirect("reviews:mine")
    context = {"form": form, "product_title": title, "existing": mine}
    return render(request, "reviews/form.html", context, status=status)


@login_required
def delete(request, review_id: int):
    mine = api.customer_review(customer_id=request.user.pk, review_id=review_id)
    if mine is None:
        raise Http404("No such review.")
    if request.method == "POST":
        api.delete_review(customer_id=request.user.pk, review_id=review_id)
        messages.success(request, _("Your review is deleted."))
        return redirect("reviews:mine")
    return render(request, "reviews/delete.html", {"review": mine})


@_posted_from_the_product_page
def vote(request, review_id: int):
    helpful = request.POST.get("helpful")
    if helpful not in ("0", "1"):
        messages.error(request, _("Choose helpful or not helpful."))
    else:
        try:
            api.vote(customer_id=request.user.pk, review_id=review_id, helpful=helpful == "1")
        except ReviewError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Thank you for your feedback."))
    return _back(request, reverse("storefront:home"))


@_posted_from_the_product_page
def report(request, review_id: int):
    try:
        api.report(
            customer_id=request.user.pk,
            review_id=review_id,
            reason=posted_text(request, "reason")[:300],
        )
    except ReviewError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you; our moderators will have a look at this review."))
    return _back(request, reverse("storefront:home"))


@login_required
def mine(request):
    reviews = api.customer_reviews(customer_id=request.user.pk)
    return render(request, "reviews/mine.html", {"reviews": reviews})
