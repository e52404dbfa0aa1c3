"""Serializers of the composed endpoints (read-only views of DTOs)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kernel.rest import MoneySerializer, PageSerializer


class NamedRefSerializer(serializers.Serializer):
    """A category or brand as a link: its slug and its name."""

    slug = serializers.CharField()
    name = serializers.CharField()


class AvailabilitySerializer(serializers.Serializer):
    status = serializers.CharField()
    quantity_shown = serializers.IntegerField()


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    alt_text = serializers.CharField()
    card_url = serializers.CharField()
    card_webp_url = serializers.CharField()
    large_url = serializers.CharField()
    large_webp_url = serializers.CharField()


class OptionValueSerializer(serializers.Serializer):
    attribute = serializers.CharField()
    attribute_name = serializers.CharField()
    value = serializers.CharField()


class AttributeValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()


class VariantOfferSerializer(serializers.Serializer):
    sku = serializers.CharField(source="variant.sku")
    name = serializers.CharField(source="variant.name")
    options = OptionValueSerializer(source="variant.options", many=True)
    price = MoneySerializer(allow_null=True)
    compare_at = MoneySerializer(allow_null=True)
    saving = MoneySerializer(allow_null=True)
    availability = AvailabilitySerializer(allow_null=True)
    purchasable = serializers.BooleanField()


class ProductOfferSerializer(serializers.Serializer):
    """A product with every variant's price and availability.

    ``sku`` is the product code; ``variants[].sku`` are what a cart takes.
    ``price`` is the lowest variant price; ``price_varies`` says whether others cost more.
    Prices are the caller's (signed-in customer, ``visitor_id`` cookie). ``compare_at``
    is the "was" price when higher than ``price``, ``saving`` the difference.
    ``availability`` is null when inventory did not answer (then nothing is
    ``purchasable``); ``price`` is null without a price or when pricing did not answer.
    """

    id = serializers.IntegerField(
        source="product.id",
        help_text="The catalog's product id; its reviews are at /api/v1/reviews/products/{id}/.",
    )
    sku = serializers.CharField(source="product.sku")
    title = serializers.CharField(source="product.title")
    slug = serializers.CharField(source="product.slug")
    description = serializers.CharField(source="product.description")
    category = NamedRefSerializer(source="product.category", allow_null=True)
    breadcrumbs = NamedRefSerializer(source="product.breadcrumbs", many=True)
    brand = NamedRefSerializer(source="product.brand", allow_null=True)
    attributes = AttributeValueSerializer(source="product.attributes", many=True)
    images = ImageSerializer(source="product.images", many=True)
    price = MoneySerializer(allow_null=True)
    compare_at = MoneySerializer(allow_null=True)
    saving = MoneySerializer(allow_null=True)
    price_varies = serializers.BooleanField()
    availability = AvailabilitySerializer(allow_null=True)
    purchasable = serializers.BooleanField()
    variants = VariantOfferSerializer(many=True)


class ProductCardSerializer(serializers.Serializer):
    sku = serializers.CharField(source="product.sku")
    title = serializers.CharField(source="product.title")
    slug = serializers.CharField(source="product.slug")
    category = NamedRefSerializer(source="product.category", allow_null=True)
    brand = NamedRefSerializer(source="product.brand", allow_null=True)
    image = ImageSerializer(source="product.image", allow_null=True)
    variant_skus = serializers.ListField(
        source="product.variant_skus", child=serializers.CharField()
    )
    price = MoneySerializer(allow_null=True)
    compare_at = MoneySerializer(allow_null=True)
    saving = MoneySerializer(allow_null=True)
    price_varies = serializers.BooleanField()
    availability = AvailabilitySerializer(allow_null=True)
    purchasable = serializers.BooleanField()
    rating_average = serializers.DecimalField(
        source="product.rating_average",
        max_digits=3,
        decimal_places=2,
        allow_null=True,
        help_text="Average of the published reviews; null when there is none.",
    )
    rating_count = serializers.IntegerField(source="product.rating_count")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    param = serializers.CharField()
    name = serializers.CharField()
    values = FacetValueSerializer(many=True)


class SearchResultSerializer(PageSerializer):
    q = serializers.CharField(source="result.query.q")
    corrected_q = serializers.CharField(source="result.corrected_q", allow_null=True)
    sort = serializers.CharField(source="result.query.effective_sort")
    count = serializers.IntegerField(source="page.total", min_value=0)
    page = serializers.IntegerField(source="page.number", min_value=1)
    page_count = serializers.IntegerField(source="page.page_count", min_value=0)
    results = ProductCardSerializer(source="offers", many=True)
    facets = FacetSerializer(source="result.facets", many=True)


class SuggestionSerializer(serializers.Serializer):
    """A suggested product as a card, and why: pinned, bought_together, similar, recently_viewed."""

    reason = serializers.CharField()
    product = ProductCardSerializer(source="offer")


class SuggestionsSerializer(serializers.Serializer):
    items = SuggestionSerializer(many=True)
    recently_viewed = SuggestionSerializer(many=True)


class ProductRatingSerializer(serializers.Serializer):
    average = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, help_text="null: no review yet."
    )
    count = serializers.IntegerField(min_value=0)
    histogram = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        min_length=5,
        max_length=5,
        help_text="Reviews with 1, 2, 3, 4 and 5 stars.",
    )


class ProductReviewSerializer(serializers.Serializer):
    """A published review as the product page shows it."""

    id = serializers.IntegerField()
    author_name = serializers.CharField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField()
    body = serializers.CharField()
    pros = serializers.CharField()
    cons = serializers.CharField()
    verified_purchase = serializers.BooleanField()
    helpful_count = serializers.IntegerField(min_value=0)
    not_helpful_count = serializers.IntegerField(min_value=0)
    staff_reply = serializers.CharField()
    staff_reply_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    viewer_vote = serializers.BooleanField(
        allow_null=True, help_text="The signed-in caller's own vote: helpful or not, or null."
    )


class ProductPageSerializer(ProductOfferSerializer):
    """The product offer plus its reviews and recommendations, as the product page shows them.

    ``rating`` is null when reviews did not answer within its time budget,
    ``reviews`` (the first page, most helpful first) then too, or when only
    the page did not come; ``recommendations`` is null when recommendations
    did not answer. The rest of the product is complete regardless.
    """

    rating = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()

    @extend_schema_field(ProductRatingSerializer(allow_null=True))
    def get_rating(self, offer) -> dict | None:
        section = self.context.get("reviews")
        return None if section is None else ProductRatingSerializer(section.rating).data

    @extend_schema_field(ProductReviewSerializer(many=True, allow_null=True))
    def get_reviews(self, offer) -> list | None:
        section = self.context.get("reviews")
        if section is None or section.reviews is None:
            return None
        return ProductReviewSerializer(section.reviews.items, many=True).data

    @extend_schema_field(SuggestionsSerializer(allow_null=True))
    def get_recommendations(self, offer) -> dict | None:
        found = self.context.get("suggestions")
        return None if found is None else SuggestionsSerializer(found).data


class PromotionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(help_text="What the shopper gets, e.g. 10% off tea.")
    category = serializers.CharField(
        allow_null=True, help_text="The slug of the one category it covers, else null."
    )


class HomeFeedSerializer(serializers.Serializer):
    """The app's home screen in one call: what the shop's home page shows above its list.

    A shelf whose context did not answer (promotions: pricing, best sellers:
    orders) is empty; the rest is there regardless. Cards are priced for
    the caller, as everywhere.
    """

    categories = NamedRefSerializer(many=True, help_text="The top-level categories, in order.")
    promotions = PromotionSerializer(source="shelves.promotions", many=True)
    new_arrivals = ProductCardSerializer(source="shelves.new_arrivals", many=True)
    best_sellers = ProductCardSerializer(source="shelves.best_sellers", many=True)
