"""Catalog's tables. Private: no other context reads them.

Products are referenced from other contexts by SKU (and shown there from
the snapshot those contexts keep), never by a foreign key. Every product
has at least one variant: a product without options has one variant whose
SKU is the product's own code, so "what can be bought" is always the
variants table.

Prices and stock are not catalog data: ``SkuPrice`` and ``SkuStock`` are
the catalog's *search projection* of pricing's and inventory's events,
kept only to filter, facet and sort listings (docs/catalog.md).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class Category(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings.")
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CategorySlugRedirect(models.Model):
    """A slug a category had before: its old URL redirects to the current one."""

    old_slug = models.SlugField(max_length=140, unique=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.category.slug}"


class Brand(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductType(models.Model):
    """A kind of product (tea, frying pan, tent) and the attributes it has."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A typed property of a product type's products, or an option of its variants."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        BOOLEAN = "boolean", "Yes/no"
        CHOICE = "choice", "Choice"

    product_type = models.ForeignKey(
        ProductType, on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(max_length=60, help_text="Used in URLs and imports, e.g. colour.")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    is_variant_option = models.BooleanField(
        default=False,
        help_text="Variants differ by this attribute (size, colour); must be a choice.",
    )
    unit = models.CharField(max_length=20, blank=True, help_text="Shown after numbers, e.g. kg.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_type", "code"], name="attribute_code_per_type"
            ),
            models.CheckConstraint(
                condition=~models.Q(is_variant_option=True) | models.Q(kind="choice"),
                name="variant_option_is_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_type.name}: {self.name}"


class AttributeChoice(models.Model):
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="choices")
    value = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "value"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "slug"], name="choice_slug_per_attribute")
        ]

    def __str__(self) -> str:
        return self.value


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    sku = models.CharField(
        "product code",
        max_length=64,
        unique=True,
        help_text="The product's own code; its variants carry the sellable SKUs.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    product_type = models.ForeignKey(
        ProductType, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    brand = models.ForeignKey(
        Brand, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name="primary category",
    )
    secondary_categories = models.ManyToManyField(
        Category, blank=True, related_name="secondary_products"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shown to shoppers from this time on (set when first published).",
    )
    #: The product's relations for shoppers' reads, kept by catalog/documents.py.
    document = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Brand, categories, attribute and option values as words: what search
    #: matches besides title and description (rebuilt by services.reindex).
    search_keywords = models.TextField(blank=True, editable=False)
    #: PostgreSQL only: weighted tsvector of title (A), keywords (B), description (C).
    search_vector = SearchVectorField(null=True, editable=False)
    #: Search projection: some variant has stock (catalog.projection keeps it).
    in_stock = models.BooleanField(default=False, editable=False)
    #: Search projection: the average and count of the product's published
    #: reviews, and when reviews computed them (from reviews' rating events).
    rating_average = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.sku})"

    @property
    def is_visible(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class ProductSlugRedirect(models.Model):
    """A slug a product had before: its old URL redirects to the canonical one."""

    old_slug = models.SlugField(max_length=220, unique=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.product.slug}"


class ProductAttributeValue(models.Model):
    """The value of one typed attribute for one product; the column matches the kind."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attribute_values")
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=255, blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    choice = models.ForeignKey(
        AttributeChoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "attribute"], name="one_value_per_attribute")
        ]

    def __str__(self) -> str:
        return f"{self.attribute.code}={self.display}"

    @property
    def display(self) -> str:
        kind = self.attribute.kind
        if kind == Attribute.Kind.CHOICE:
            return self.choice.value if self.choice else ""
        if kind == Attribute.Kind.NUMBER:
            if self.number is None:
                return ""
            number = f"{self.number.normalize():f}"
            return f"{number} {self.attribute.unit}".strip()
        if kind == Attribute.Kind.BOOLEAN:
            return {True: "Yes", False: "No"}.get(self.boolean, "")
        return self.text


class ProductVariant(models.Model):
    """A sellable version of a product, with its own SKU and option values."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True, help_text="e.g. 'M / Red'; optional.")
    position = models.PositiveIntegerField(default=0)
    option_values = models.ManyToManyField(AttributeChoice, blank=True, related_name="variants")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.sku


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/%Y/%m/")
    alt_text = models.CharField(
        max_length=200, blank=True, help_text="Describes the picture for screen readers."
    )
    position = models.PositiveIntegerField(default=0)
    source_name = models.CharField(
        max_length=200, blank=True, editable=False, help_text="File name given on import."
    )
    #: {"size.format": storage path}, filled by the thumbnail task.
    thumbnails = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class SkuPrice(models.Model):
    """Search projection: the latest price of a SKU per currency, from pricing's events."""

    sku = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=14, decimal_places=3)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sku", "currency"], name="projected_price_per_currency")
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {self.amount} {self.currency}"


class SkuStock(models.Model):
    """Search projection: the latest sellable quantity of a SKU, from inventory's events."""

    sku = models.CharField(max_length=64, unique=True)
    quantity = models.IntegerField()
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.sku}: {self.quantity}"


class ListingPrice(models.Model):
    """Search projection: a product's lowest variant price in a currency.

    Derived from ``SkuPrice`` whenever a variant's price arrives or the
    product's variants change (catalog.projection), so listings filter and
    sort by price with one indexed join instead of a subquery per product.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listing_prices")
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "currency"], name="listing_price_per_currency"
            )
        ]
        indexes = [models.Index(fields=["currency", "amount"])]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.amount} {self.currency}"
