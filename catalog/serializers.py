"""DRF serializers of catalog's REST endpoints: read-only views of the catalog's DTOs."""

from rest_framework import serializers

from kernel.rest import PageSerializer


class RefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CatalogImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    alt_text = serializers.CharField()
    card_url = serializers.CharField()
    card_webp_url = serializers.CharField()
    large_url = serializers.CharField()
    large_webp_url = serializers.CharField()


class ProductSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.CharField()
    category = RefSerializer(allow_null=True)
    brand = RefSerializer(allow_null=True)
    variant_skus = serializers.ListField(child=serializers.CharField())
    image = CatalogImageSerializer(allow_null=True)
    rating_average = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        allow_null=True,
        help_text="Average of the published reviews; null when there is none.",
    )
    rating_count = serializers.IntegerField()


class OptionSerializer(serializers.Serializer):
    attribute = serializers.CharField()
    attribute_name = serializers.CharField()
    value = serializers.CharField()
    slug = serializers.CharField()


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    options = OptionSerializer(many=True)


class AttributeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()


class ProductDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    category = RefSerializer(allow_null=True)
    breadcrumbs = RefSerializer(many=True)
    secondary_categories = RefSerializer(many=True)
    brand = RefSerializer(allow_null=True)
    product_type = serializers.CharField(allow_null=True)
    attributes = AttributeSerializer(many=True)
    variants = VariantSerializer(many=True)
    images = CatalogImageSerializer(many=True)
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CategoryNodeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    children = serializers.SerializerMethodField()

    def get_children(self, node) -> list[dict]:
        return CategoryNodeSerializer(node.children, many=True).data


class ProductListPageSerializer(PageSerializer):
    results = ProductSummarySerializer(many=True, source="items")
