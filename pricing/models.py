"""Pricing's tables. Private: no other context reads them.

Prices refer to products by SKU: pricing can price a SKU the catalog does
not know yet (prices are often loaded before a launch), and the catalog can
be split out without a foreign key to cut. What pricing needs to know about
the catalog (which product and categories a SKU belongs to) it keeps in its
own `SkuPlacement` table, filled from catalog events.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from kernel.money import MINOR_UNITS, Money

CURRENCY_CHOICES = [(code, code) for code in MINOR_UNITS]
DEFAULT_TAX_CLASS = "standard"


def _amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal(0))], **kwargs
    )


def _check_minor_units(amount: Decimal | None, currency: str, field: str) -> None:
    """Stored prices are already in the currency's minor unit: nothing to round later."""
    if amount is None or currency not in MINOR_UNITS:
        return
    if Money(amount, currency).rounded().amount != amount:
        raise ValidationError({field: f"{currency} has {MINOR_UNITS[currency]} decimal places."})


class Price(models.Model):
    """The base price of a SKU in one currency, with an optional compare-at (list) price."""

    CURRENCY_CHOICES = CURRENCY_CHOICES

    sku = models.CharField("SKU", max_length=64)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = _amount_field()
    compare_at_amount = _amount_field(
        null=True,
        blank=True,
        help_text="The list price shown struck through; must be above the price.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "currency"], name="one_price_per_sku_currency"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_not_negative"),
            models.CheckConstraint(
                condition=Q(compare_at_amount__isnull=True) | Q(compare_at_amount__gt=F("amount")),
                name="compare_at_above_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {self.money}"

    @property
    def money(self) -> Money:
        """The price in its currency's minor unit (stored amounts are, see ``clean``)."""
        return Money(self.amount, self.currency).rounded()

    @property
    def compare_at(self) -> Money | None:
        if self.compare_at_amount is None:
            return None
        return Money(self.compare_at_amount, self.currency).rounded()

    def clean(self) -> None:
        _check_minor_units(self.amount, self.currency, "amount")
        _check_minor_units(self.compare_at_amount, self.currency, "compare_at_amount")
        if (
            self.compare_at_amount is not None
            and self.amount is not None
            and self.compare_at_amount <= self.amount
        ):
            raise ValidationError({"compare_at_amount": "The compare-at price must be above it."})


class PriceChange(models.Model):
    """One change of a base or price-list price: who, when, old and new. Append-only."""

    sku = models.CharField("SKU", max_length=64, db_index=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    price_list = models.ForeignKey(
        "PriceList", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(max_length=20, default="amount")
    old_amount = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    new_amount = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    changed_by_id = models.BigIntegerField(null=True, blank=True, help_text="User id, if a person.")
    changed_by = models.CharField(max_length=150, help_text="Who, as shown at the time.")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sku} {self.currency} {self.field}: {self.old_amount} → {self.new_amount}"


class PriceList(models.Model):
    """Prices for a customer group (e.g. "wholesale"), valid within a window.

    A customer in the group pays the list's price when it is lower than the
    base price: belonging to a group never makes anything dearer.
    """

    name = models.CharField(max_length=120, unique=True)
    customer_group = models.SlugField(max_length=60, db_index=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["customer_group", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="price_list_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_group})"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "Must be after the start of validity."})


class PriceListEntry(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="entries")
    sku = models.CharField("SKU", max_length=64)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = _amount_field()

    class Meta:
        verbose_name_plural = "price list entries"
        ordering = ["sku", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "sku", "currency"], name="one_entry_per_list_sku_currency"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="list_price_not_negative"),
        ]
        indexes = [models.Index(fields=["sku", "currency"])]

    def __str__(self) -> str:
        return f"{self.sku}: {self.currency} {self.amount}"

    def clean(self) -> None:
        _check_minor_units(self.amount, self.currency, "amount")


class CurrencyTaxMode(models.Model):
    """Whether prices in a currency include tax (EU style) or exclude it (US style).

    A currency without a row is tax-inclusive: the shopper-friendly default.
    """

    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, unique=True)
    prices_include_tax = models.BooleanField(default=True)

    class Meta:
        ordering = ["currency"]

    def __str__(self) -> str:
        return f"{self.currency}: {'incl.' if self.prices_include_tax else 'excl.'} tax"


class TaxRate(models.Model):
    """The rate of a tax class (standard, reduced, ...) in a country."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    tax_class = models.SlugField(max_length=30, default=DEFAULT_TAX_CLASS)
    rate = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="A fraction: 0.19 for 19 %.",
    )

    class Meta:
        ordering = ["country", "tax_class"]
        constraints = [
            models.UniqueConstraint(fields=["country", "tax_class"], name="one_rate_per_class"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="tax_rate_is_a_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.tax_class}: {(self.rate * 100).normalize():f} %"

    def save(self, *args, **kwargs):
        self.country = self.country.upper()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the uniqueness check (full_clean runs clean first): "de" is "DE".
        self.country = (self.country or "").upper()
        if not (len(self.country) == 2 and self.country.isalpha()):
            raise ValidationError({"country": "Two letters, e.g. DE."})


class SkuTaxClass(models.Model):
    """The tax class of a SKU; SKUs without a row are in the standard class."""

    sku = models.CharField("SKU", max_length=64, unique=True)
    tax_class = models.SlugField(max_length=30)

    class Meta:
        verbose_name = "SKU tax class"
        verbose_name_plural = "SKU tax classes"
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku}: {self.tax_class}"


class SkuPlacement(models.Model):
    """Pricing's copy of where a SKU sits in the catalog, kept from catalog events.

    Promotions and experiments target products and categories through this
    table, never by joining catalog's tables.
    """

    sku = models.CharField("SKU", max_length=64, unique=True)
    product_id = models.BigIntegerField(db_index=True)
    product_sku = models.CharField(max_length=64, db_index=True)
    category_slugs = models.JSONField(default=list)
    brand = models.CharField(max_length=120, blank=True)
    #: The catalog's ``changed_at`` of the announcement these rows were written
    #: from; an older announcement delivered later is ignored.
    source_changed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} in {', '.join(self.category_slugs) or 'no category'}"


class Promotion(models.Model):
    """A discount rule: what it takes off, on what, when, and how it stacks.

    Stacking (docs/pricing.md): promotions are tried in priority order
    (highest first). An *exclusive* promotion applies only to a line (or
    order) nothing has discounted yet, and nothing applies after it; a
    *combinable* one applies on top of other combinable ones, each on what is
    left of the amount.
    """

    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage off"
        FIXED = "fixed", "Fixed amount off (per unit, or off the order)"
        BUY_X_GET_Y = "buy_x_get_y", "Buy X, get Y free"
        TIERED = "tiered", "Tiered volume discount"

    class Scope(models.TextChoices):
        LINES = "lines", "Targeted lines (SKUs, products, categories)"
        ORDER = "order", "Whole order"

    class Stacking(models.TextChoices):
        EXCLUSIVE = "exclusive", "Exclusive: nothing else on the same amount"
        COMBINABLE = "combinable", "Combinable with other combinable promotions"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    reason = models.CharField(
        max_length=200, help_text='What the shopper reads, e.g. "10 % off all coffee".'
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LINES)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    amount = _amount_field(null=True, blank=True)
    currency = models.CharField(
        max_length=3, choices=CURRENCY_CHOICES, blank=True, help_text="Of a fixed amount."
    )
    buy_quantity = models.PositiveIntegerField(null=True, blank=True)
    get_quantity = models.PositiveIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    priority = models.IntegerField(default=0, help_text="Higher is tried first.")
    stacking = models.CharField(
        max_length=10, choices=Stacking.choices, default=Stacking.COMBINABLE
    )
    requires_voucher = models.BooleanField(
        default=False, help_text="Applies only when one of its voucher codes is entered."
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="promotion_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.PERCENTAGE and self.percent is None:
            errors["percent"] = "A percentage discount needs a percentage."
        if self.kind == self.Kind.FIXED:
            if self.amount is None:
                errors["amount"] = "A fixed discount needs an amount."
            if not self.currency:
                errors["currency"] = "A fixed amount needs its currency."
            else:
                try:
                    _check_minor_units(self.amount, self.currency, "amount")
                except ValidationError as exc:
                    errors.update({k: v[0] for k, v in exc.message_dict.items()})
        if self.kind == self.Kind.BUY_X_GET_Y and not (self.buy_quantity and self.get_quantity):
            errors["buy_quantity"] = "Buy X get Y needs both quantities (at least 1)."
        if self.scope == self.Scope.ORDER and self.kind not in (
            self.Kind.PERCENTAGE,
            self.Kind.FIXED,
        ):
            errors["scope"] = "Only percentage and fixed discounts apply to a whole order."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "Must be after the start."
        if errors:
            raise ValidationError(errors)


class PromotionTarget(models.Model):
    """One thing a line promotion applies to: a SKU, a product (by its SKU) or a category."""

    class Kind(models.TextChoices):
        SKU = "sku", "SKU"
        PRODUCT = "product", "Product (its SKU; covers every variant)"
        CATEGORY = "category", "Category slug (covers its subcategories)"

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=140)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "kind", "value"], name="one_target_per_promotion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class PromotionTier(models.Model):
    """A step of a tiered promotion: from ``min_quantity`` units of a line, ``percent`` off."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField(validators=[MinValueValidator(2)])
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "min_quantity"], name="one_tier_per_step")
        ]

    def __str__(self) -> str:
        return f"from {self.min_quantity}: {self.percent} %"


class Voucher(models.Model):
    """A code that unlocks a promotion, with its own limits.

    ``times_used`` counts unreleased redemptions; a conditional UPDATE on it
    (and the CHECK below) is what stops two checkouts taking the last use.
    """

    code = models.CharField(max_length=40, unique=True)
    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="vouchers")
    usage_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="Total uses; empty for no limit."
    )
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True)
    min_order_amount = _amount_field(null=True, blank=True)
    min_order_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    batch = models.CharField(max_length=60, blank=True, help_text="Bulk generation label.")
    times_used = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=F("usage_limit")),
                name="voucher_not_overused",
            ),
            models.CheckConstraint(condition=Q(times_used__gte=0), name="voucher_uses_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.code = normalize_code(self.code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the uniqueness check (full_clean runs clean first): "abc" clashes with "ABC".
        self.code = normalize_code(self.code or "")
        if self.min_order_amount is not None and not self.min_order_currency:
            raise ValidationError({"min_order_currency": "A minimum order needs its currency."})
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "Must be after the start of validity."})


def normalize_code(code: str) -> str:
    """Codes are matched without regard to case or surrounding spaces."""
    return code.strip().upper()


class VoucherRedemption(models.Model):
    """A voucher used by an order; released (not deleted) when the order is cancelled."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    order_ref = models.CharField(max_length=64, db_index=True)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    redeemed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-redeemed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "order_ref"], name="one_redemption_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher.code} by order {self.order_ref}"


class Experiment(models.Model):
    """A pricing experiment on a category or a set of SKUs.

    Only a running experiment changes prices; a draft or stopped one leaves
    every shopper on the base price.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        RUNNING = "running", "Running"
        STOPPED = "stopped", "Stopped"

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Also the salt of the assignment hash."
    )
    category_slug = models.SlugField(
        max_length=140, blank=True, help_text="Target a category (and its subcategories)..."
    )
    skus = models.JSONField(default=list, blank=True, help_text="...or a list of SKUs.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.category_slug and not self.skus:
            raise ValidationError("Target a category or at least one SKU.")
        if not isinstance(self.skus, list) or not all(isinstance(s, str) for s in self.skus):
            raise ValidationError({"skus": 'A list of SKUs, e.g. ["CT-0001", "CT-0002"].'})


class ExperimentVariant(models.Model):
    """One arm of an experiment, with its share of traffic and its price rule."""

    class Rule(models.TextChoices):
        BASE = "base", "Base price (control)"
        PERCENT = "percent", "Base price adjusted by a percentage"
        DEMAND = "demand", "Demand-based: adjusted when recent demand is high"

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    key = models.SlugField(max_length=40, help_text='Recorded on quotes, e.g. "plus-5".')
    weight = models.PositiveIntegerField(help_text="Share of traffic, relative to the others.")
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.BASE)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-50)), MaxValueValidator(Decimal(50))],
        help_text="+5 for 5 % dearer, -5 for 5 % cheaper.",
    )
    demand_threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text="Units sold in 7 days from which the percentage applies."
    )

    class Meta:
        ordering = ["experiment", "key"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="one_variant_key")
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}/{self.key}"

    def clean(self) -> None:
        if self.rule in (self.Rule.PERCENT, self.Rule.DEMAND) and self.percent is None:
            raise ValidationError({"percent": "This rule needs a percentage."})
        if self.rule == self.Rule.DEMAND and self.demand_threshold is None:
            raise ValidationError({"demand_threshold": "The demand rule needs a threshold."})


class DemandSignal(models.Model):
    """Recent demand for a SKU, read by demand-based experiment rules."""

    sku = models.CharField("SKU", max_length=64, unique=True)
    units_last_7_days = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku}: {self.units_last_7_days} units in 7 days"


class ExperimentSale(models.Model):
    """A sold order line priced in an experiment variant: the basis of the results."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="sales")
    variant_key = models.CharField(max_length=40)
    order_ref = models.CharField(max_length=64)
    sku = models.CharField("SKU", max_length=64)
    quantity = models.PositiveIntegerField()
    revenue = _amount_field()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    sold_at = models.DateTimeField()

    class Meta:
        ordering = ["-sold_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "order_ref", "sku"], name="one_sale_per_order_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}/{self.variant_key}: {self.order_ref} {self.sku}"


class ExperimentExposure(models.Model):
    """A shopper was quoted a price in a variant: the denominator of its conversion rate.

    One row per shopper and variant; the shopper is stored as a hash of
    their key (customer or visitor id), never the id itself.
    """

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="exposures")
    variant_key = models.CharField(max_length=40)
    shopper_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-first_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "variant_key", "shopper_hash"],
                name="one_exposure_per_shopper",
            )
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}/{self.variant_key}: {self.shopper_hash[:8]}"
