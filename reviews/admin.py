"""Staff admin for reviews: the moderation queue, staff replies and the moderation rule.

Moderators change reviews only through the services: bulk approve, bulk
reject with a reason the authors see, and a public reply. Everything the
customer wrote stays read-only, and every change that alters what is
published refreshes the product's rating (and publishes it) in the same
transaction. "Review moderator" (migration 0002) holds just these rights.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from kernel.adminkit import ReadOnlyAdmin
from kernel.display import count_display
from kernel.forms import ShownTextField
from reviews import services
from reviews.dtos import InvalidReview
from reviews.models import ModerationRule, ProductRating, Purchase, Report, Review
from reviews.services import REASON_MAX


class RejectForm(forms.Form):
    reason = ShownTextField(
        max_length=REASON_MAX,
        help_text="Shown to each author under their review in “Your reviews”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    fields = ["customer_id", "reason", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "product_title",
        "rating",
        "status",
        "verified_purchase",
        "report_count",
        "author_name",
        "created_at",
    ]
    list_filter = ["status", "rating", "verified_purchase"]
    search_fields = ["title", "body", "product_sku", "product_title", "author_name"]
    ordering = ["status", "-report_count", "created_at"]
    actions = ["approve", "reject"]
    inlines = [ReportInline]
    fields = [
        "product_title",
        "product_sku",
        "author_name",
        "customer_id",
        "rating",
        "title",
        "body",
        "pros",
        "cons",
        "status",
        "rejection_reason",
        "verified_purchase",
        "helpful_count",
        "not_helpful_count",
        "report_count",
        "created_at",
        "updated_at",
        "staff_reply",
        "staff_reply_at",
    ]
    readonly_fields = [f for f in fields if f != "staff_reply"]

    def has_add_permission(self, request):
        return False  # reviews are written by customers

    def delete_model(self, request, obj):
        services.reviews_remove(review_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.reviews_remove(review_ids=list(queryset.values_list("pk", flat=True)))

    def save_model(self, request, obj, form, change):
        try:
            services.review_reply(review_id=obj.pk, text=form.cleaned_data["staff_reply"])
        except InvalidReview as invalid:
            self.message_user(request, str(invalid), messages.ERROR)

    @admin.action(description="Approve (publish) the selected reviews", permissions=["change"])
    def approve(self, request, queryset):
        count = services.reviews_moderate(
            review_ids=list(queryset.values_list("pk", flat=True)), approve=True
        )
        self.message_user(request, f"{count_display(count, 'review')} published.")

    @admin.action(description="Reject the selected reviews (with a reason)", permissions=["change"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            count = services.reviews_moderate(
                review_ids=list(queryset.values_list("pk", flat=True)),
                approve=False,
                reason=form.cleaned_data["reason"],
            )
            self.message_user(request, f"{count_display(count, 'review')} rejected.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject reviews",
            "opts": self.model._meta,
            "form": form,
            "reviews": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reviews/reject.html", context)


@admin.register(ModerationRule)
class ModerationRuleAdmin(admin.ModelAdmin):
    """The one rule row: staff switch auto-publishing and edit the flagged words."""

    list_display = ["__str__", "auto_publish_verified", "reports_to_unpublish", "updated_at"]

    def has_add_permission(self, request):
        return not ModerationRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProductRating)
class ProductRatingAdmin(ReadOnlyAdmin):
    list_display = ["product_sku", "average", "count", "histogram", "changed_at"]
    search_fields = ["product_sku"]


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = ["customer_id", "sku", "product_id", "order_number", "delivered_at"]
    search_fields = ["sku", "order_number"]
