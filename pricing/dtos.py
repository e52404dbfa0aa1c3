"""Data that crosses the pricing boundary: frozen, slotted dataclasses. Stdlib only.

Also the typed errors of ``pricing.api``: each names the input ``field`` it
is about, so a REST layer can turn it into a 400 on that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kernel.errors import DomainError
from kernel.money import Money


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """The price a shopper pays for one unit of ``sku``.

    ``compare_at`` is the struck-through "was" price, when there is one.
    ``price_list`` names the customer group's list the price comes from.
    """

    sku: str
    price: Money
    compare_at: Money | None = None
    price_list: str | None = None


@dataclass(frozen=True, slots=True)
class OfferPrice:
    """What one unit of ``sku`` costs a shopper, automatic promotions included.

    ``price`` is what a cart holding just this unit would charge for it:
    the unit price after the promotions every shopper gets without a code
    (a quantity-1 line, so buy-x-get-y and volume tiers do not apply yet).
    ``before`` is the unit price before them, ``reasons`` their texts
    ("10 % off all coffee & tea"); with no promotion ``price == before``.
    """

    sku: str
    price: Money
    before: Money
    compare_at: Money | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Customer:
    """Who is buying, as far as pricing cares: id (for per-customer limits) and groups."""

    customer_id: int | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteContext:
    """Where and when a quote is made.

    ``visitor_id`` is a stable anonymous id (a cookie) used, when there is no
    customer id, to keep a shopper in the same experiment variant.
    ``country`` (ISO 3166-1 alpha-2) picks the tax rates; without one the
    currency's default country (settings.PRICING_DEFAULT_COUNTRY) is used.
    ``at`` prices the basket as of another moment (admin preview).
    """

    country: str | None = None
    visitor_id: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BasketLine:
    """A line of a basket to quote: ``quantity`` units of ``sku``."""

    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Shopper:
    """Whom prices are for: the signed-in customer (None: a guest) and their visitor id.

    One shopper for the whole journey, so that a listing card shows what
    the cart will quote: the storefront and the cart both build it with
    ``pricing.api.shopper``, which asks accounts for the customer's groups.
    It lives in pricing because it is exactly what pricing needs to price
    for someone, pricing already defines its parts (``Customer``,
    ``QuoteContext``), and both its users sit above pricing (storefront >
    orders > pricing); accounts, below, knows nothing of prices.

    ``visitor_id`` is the request's (browse pages). The cart leaves it out:
    every quote of a cart uses the visitor id stored on the cart, so all of
    them fall in the same experiment variant.
    """

    customer: Customer | None = None
    visitor_id: str | None = None

    @property
    def context(self) -> QuoteContext:
        return QuoteContext(visitor_id=self.visitor_id)


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    """A discount as the shopper reads it, with the amount it took off."""

    promotion: str
    reason: str
    amount: Money
    voucher_code: str | None = None


@dataclass(frozen=True, slots=True)
class ExperimentAssignment:
    """The experiment variant a line was priced in (recorded on the order line).

    ``fell_back`` is True when the variant's rule failed and the base price
    was used instead.
    """

    experiment: str
    variant: str
    fell_back: bool = False


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One basket line.

    ``subtotal`` is unit price times quantity; ``total`` is after the line's
    own discounts (order-level discounts are on the quote). ``tax`` is the
    tax portion of the line after its share of order discounts: included in
    ``total`` when prices include tax, added on top otherwise.
    """

    sku: str
    quantity: int
    unit_price: Money
    compare_at: Money | None
    subtotal: Money
    discounts: tuple[AppliedDiscount, ...]
    total: Money
    tax_rate: Decimal
    tax: Money
    experiment: ExperimentAssignment | None = None


@dataclass(frozen=True, slots=True)
class QuoteShipping:
    """The shipping charge of a quote, taxed like a line of the ``tax_class``.

    ``amount`` is the charge as shown (tax included when prices include
    tax, net otherwise); ``tax`` is its tax portion, rounded once. The class
    is always "standard": a simplification of the EU rule that shipping
    follows the tax of the main goods (docs/pricing.md).
    """

    amount: Money
    tax_rate: Decimal
    tax: Money
    tax_class: str = "standard"


@dataclass(frozen=True, slots=True)
class Quote:
    """What a basket costs: lines, order discounts, tax portion and the total to pay.

    Every amount is rounded to the currency's minor unit exactly once, when
    it is determined, so the displayed parts add up to the displayed total.
    ``shipping`` is there when the quote was asked with a shipping charge:
    its tax is in ``tax`` and the charge (and its tax) in ``total``;
    ``subtotal`` and ``discount_total`` stay those of the goods.
    """

    currency: str
    lines: tuple[QuoteLine, ...]
    subtotal: Money
    order_discounts: tuple[AppliedDiscount, ...]
    discount_total: Money
    prices_include_tax: bool
    tax_country: str | None
    tax: Money
    total: Money
    voucher_codes: tuple[str, ...] = ()
    shipping: QuoteShipping | None = None


@dataclass(frozen=True, slots=True)
class Redemption:
    """A voucher use claimed for an order."""

    code: str
    order_ref: str
    customer_id: int | None
    redeemed_at: datetime


@dataclass(frozen=True, slots=True)
class SkuPrice:
    """The price of ``sku`` in ``price.currency``: one entry of a price list to import."""

    sku: str
    price: Money


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """What a line promotion covers: ``kind`` "sku", "product" (its SKU) or "category" (slug)."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class TierSpec:
    """A step of a tiered promotion: from ``min_quantity`` units of a line, ``percent`` off."""

    min_quantity: int
    percent: Decimal


@dataclass(frozen=True, slots=True)
class PromotionNotice:
    """A running automatic promotion as a shop window announces it.

    ``category`` is the slug of the category it covers when it covers
    exactly one (the storefront links to it), else None.
    """

    slug: str
    name: str
    reason: str
    category: str | None = None


@dataclass(frozen=True, slots=True)
class PromotionSpec:
    """A promotion as an importer (or the demo) describes it; see docs/pricing.md.

    ``kind``: "percentage", "fixed", "buy_x_get_y" or "tiered"; ``scope``:
    "lines" (then ``targets`` say which) or "order". ``tiers`` are the steps
    of a tiered promotion.
    """

    slug: str
    name: str
    reason: str
    kind: str
    scope: str = "lines"
    percent: Decimal | None = None
    amount: Money | None = None
    buy_quantity: int | None = None
    get_quantity: int | None = None
    tiers: tuple[TierSpec, ...] = ()
    targets: tuple[TargetSpec, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int = 0
    exclusive: bool = False
    requires_voucher: bool = False
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class VariantSpec:
    """An experiment arm: "base" (control), "percent" or "demand" rule, and its weight."""

    key: str
    weight: int
    rule: str = "base"
    percent: Decimal | None = None
    demand_threshold: int | None = None


@dataclass(frozen=True, slots=True)
class ExperimentSpec:
    slug: str
    name: str
    variants: tuple[VariantSpec, ...]
    category_slug: str = ""
    skus: tuple[str, ...] = ()


class PricingError(DomainError, ValueError):
    """Base of pricing's input errors; ``field`` is the input they are about (REST: a 400 on it)."""

    field = "non_field_errors"


class UnknownSku(PricingError):
    """A SKU without a price in the requested currency: REST answers 404 naming them."""

    field = "lines"
    http_status = 404

    def __init__(self, skus: list[str], currency: str):
        self.skus = tuple(skus)
        super().__init__(f"no price in {currency} for: {', '.join(self.skus)}")

    def http_body(self) -> dict[str, object]:
        return {
            "detail": str(self),
            "code": "unknown_sku",
            "skus": list(self.skus),
            "errors": {self.field: [str(self)]},
        }


class UnknownCurrency(PricingError):
    field = "currency"


class InvalidQuantity(PricingError):
    field = "lines"


class MergedQuantityTooLarge(InvalidQuantity):
    """Lines of one SKU whose quantities together pass ``PRICING_MAX_LINE_QUANTITY``,
    each line within it: a rule the schema cannot state (its ``maximum`` is per line),
    so REST answers 422, not the 400 of a request that breaks the schema."""

    http_status = 422


class InvalidShipping(PricingError):
    """A shipping charge below zero or in another currency than the quote."""

    field = "shipping"


class VoucherRejected(PricingError):
    """A voucher code that cannot be used for this basket, and the specific reason why."""

    field = "voucher_codes"

    def __init__(self, code: str, reason: str, *, unknown: bool = False):
        self.code = code
        self.reason = reason
        #: No voucher has this code (rather than one that does not apply here).
        self.unknown = unknown
        #: REST: no such voucher is a 404; one that does not apply to this basket, a 409.
        self.http_status = 404 if unknown else 409
        super().__init__(f"{code}: {reason}")

    def http_body(self) -> dict[str, object]:
        code = "voucher_unknown" if self.unknown else "voucher_refused"
        errors = {self.field: [str(self)]}
        return {"detail": str(self), "code": code, "voucher": self.code, "errors": errors}


@dataclass(frozen=True, slots=True)
class VariantSales:
    """What one experiment variant sold in one currency."""

    currency: str
    orders: int
    units: int
    revenue: Money


@dataclass(frozen=True, slots=True)
class VariantFigures:
    """One variant's results: its share of traffic, shoppers quoted and sales per currency."""

    key: str
    traffic_percent: int
    shoppers: int
    sales: tuple[VariantSales, ...]


@dataclass(frozen=True, slots=True)
class ExperimentFigures:
    """An experiment's current results, variant by variant."""

    slug: str
    name: str
    status: str
    started_at: datetime | None
    variants: tuple[VariantFigures, ...]
