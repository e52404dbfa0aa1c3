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


class ProductPageSerializer(ProductOfferSerializer):
    """The product offer plus its recommendations, as the product page shows them.

    ``recommendations`` is null when recommendations did not answer within
    its time budget (the rest of the product is complete regardless).
    """

    recommendations = serializers.SerializerMethodField()

    @extend_schema_field(SuggestionsSerializer(allow_null=True))
    def get_recommendations(self, offer) -> dict | None:
        found = self.context.get("suggestions")
        return None if found is None else SuggestionsSerializer(found).data
