"""DRF serializers of reviews's REST endpoints: input checks at the edge, DTOs out.

The input limits are the services' own (``reviews.dtos``), so the API
refuses exactly what the services would, with DRF's field-keyed 400.
"""

from rest_framework import serializers

from kernel.rest import ClosedSerializer, PageSerializer
from reviews.dtos import BODY_MAX, PROS_CONS_MAX, TITLE_MAX, ReviewDraft
from reviews.services import REASON_MAX


class ReviewDraftSerializer(ClosedSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    pros = serializers.CharField(max_length=PROS_CONS_MAX, allow_blank=True, default="")
    cons = serializers.CharField(max_length=PROS_CONS_MAX, allow_blank=True, default="")

    def draft(self) -> ReviewDraft:
        return ReviewDraft(**self.validated_data)


class ReviewCreateSerializer(ReviewDraftSerializer):
    product_id = serializers.IntegerField(min_value=1, help_text="The catalog's product id.")

    def draft(self) -> ReviewDraft:
        fields = dict(self.validated_data)
        fields.pop("product_id")
        return ReviewDraft(**fields)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product_title = serializers.CharField()
    product_slug = serializers.CharField()
    author_name = serializers.CharField()
    rating = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    pros = serializers.CharField()
    cons = serializers.CharField()
    status = serializers.CharField(help_text="pending, published or rejected.")
    rejection_reason = serializers.CharField(help_text="Why a moderator rejected it.")
    verified_purchase = serializers.BooleanField()
    helpful_count = serializers.IntegerField()
    not_helpful_count = serializers.IntegerField()
    staff_reply = serializers.CharField()
    staff_reply_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    viewer_vote = serializers.BooleanField(
        allow_null=True, help_text="The signed-in customer's own vote: helpful or not, or null."
    )


class RatingSummarySerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    average = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, help_text="null: no review yet."
    )
    count = serializers.IntegerField()
    histogram = serializers.ListField(
        child=serializers.IntegerField(), help_text="Reviews with 1, 2, 3, 4 and 5 stars."
    )


class ReviewPageSerializer(PageSerializer):
    summary = RatingSummarySerializer()
    results = ReviewSerializer(many=True, source="items")


class VoteSerializer(ClosedSerializer):
    helpful = serializers.BooleanField(help_text="true: helpful; false: not helpful.")


class ReportSerializer(ClosedSerializer):
    reason = serializers.CharField(max_length=REASON_MAX, allow_blank=True, default="")
