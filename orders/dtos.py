"""Data that crosses the orders boundary: frozen, slotted dataclasses. Stdlib only.

An `OrderDraft` is what checkout hands to `orders.api.place_order`: lines
already priced (by ``pricing.api.quote``), so an order stores what the
shopper was shown, never a price sent by a client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from accounts.dtos import PostalAddress
from catalog.dtos import Image
from inventory.dtos import InsufficientStock
from kernel.errors import DomainError
from kernel.money import Money
from kernel.translatable import gettext_noop
from pricing.dtos import Quote


@dataclass(frozen=True, slots=True)
class DraftLine:
    """One priced line: the snapshot an order line keeps forever."""

    sku: str
    title: str
    quantity: int
    unit_price: Money
    line_total: Money
    tax_rate: Decimal = Decimal(0)
    tax: Money | None = None
    experiment_variant: str = ""


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """An order about to be placed; totals must add up (see `services.order_place`)."""

    email: str
    currency: str
    lines: tuple[DraftLine, ...]
    shipping_address: PostalAddress
    billing_address: PostalAddress
    shipping_method: str
    shipping_total: Money
    discount_total: Money
    tax_total: Money
    grand_total: Money
    prices_include_tax: bool = True
    customer_id: int | None = None
    voucher_codes: tuple[str, ...] = ()

    @classmethod
    def of_quote(
        cls,
        quote: Quote,
        *,
        titles: Mapping[str, str],
        shipping: Money,
        grand_total: Money,
        **who_and_where,
    ) -> OrderDraft:
        """The order of pricing's ``quote`` (shipping included): what checkout places and
        what the demo imports. ``titles`` by SKU; ``who_and_where``: e-mail, addresses,
        shipping method, customer. Line discounts are in the line totals already: the
        draft's discount is what remains, at the order's level."""
        lines = tuple(
            DraftLine(
                sku=line.sku,
                title=titles.get(line.sku, line.sku),
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.total,
                tax_rate=line.tax_rate,
                tax=line.tax,
                experiment_variant=(
                    f"{line.experiment.experiment}:{line.experiment.variant}"
                    if line.experiment
                    else ""
                ),
            )
            for line in quote.lines
        )
        zero = Money.zero(quote.currency)
        tax_on_top = zero if quote.prices_include_tax else quote.tax
        lines_total = sum((line.line_total for line in lines), zero)
        return cls(
            currency=quote.currency,
            lines=lines,
            shipping_total=shipping,
            discount_total=lines_total + shipping + tax_on_top - quote.total,
            tax_total=quote.tax,
            grand_total=grand_total,
            prices_include_tax=quote.prices_include_tax,
            voucher_codes=quote.voucher_codes,
            **who_and_where,
        )


@dataclass(frozen=True, slots=True)
class PastStep:
    """One thing that happened to an imported order, dated when it happened (`import_order`).

    ``action`` is one of `PAST_ACTIONS`: ``authorize`` (a payment started
    with ``provider``: a card is authorised, an offline payment waits for its
    money), ``capture`` (the authorised or awaited money taken), ``ship``
    (``units``: (SKU, quantity) pairs, none for everything left),
    ``deliver``, ``cancel`` and ``refund`` (``amount``, None for everything
    left), both with a ``reason``.
    """

    action: str
    at: datetime
    provider: str = "sandbox"
    units: tuple[tuple[str, int], ...] = ()
    amount: Money | None = None
    reason: str = ""


PAST_ACTIONS = frozenset({"authorize", "capture", "ship", "deliver", "cancel", "refund"})


@dataclass(frozen=True, slots=True)
class OrderLineView:
    id: int
    sku: str
    title: str
    quantity: int
    shipped_quantity: int
    unit_price: Money
    line_total: Money
    tax: Money
    experiment_variant: str
    image: Image | None = None  # the product's picture today, for pages and e-mails (pictures.py)


@dataclass(frozen=True, slots=True)
class ShipmentView:
    id: int
    tracking_number: str
    carrier: str
    shipped_at: datetime
    lines: tuple[tuple[str, int], ...]  # (sku, quantity)


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: int
    provider: str
    status: str
    amount: Money
    captured: Money
    refunded: Money
    method: str
    next_action: str = ""
    status_label: str = ""  # the status in the reader's language


#: Payment statuses that stand for the order's money: while one exists, no other payment starts.
OPEN_PAYMENT_STATUSES = frozenset(
    {"pending", "requires_action", "authorized", "captured", "partially_refunded"}
)


@dataclass(frozen=True, slots=True)
class OrderSummary:
    number: str
    status: str
    status_label: str
    placed_at: datetime
    grand_total: Money
    item_count: int
    images: tuple[Image, ...] = ()  # pictures of its first lines (pictures.py), for the history


@dataclass(frozen=True, slots=True)
class OrderPage:
    """One page of a customer's orders."""

    items: tuple[OrderSummary, ...]
    number: int
    page_count: int
    total: int


@dataclass(frozen=True, slots=True)
class OrderDetail:
    number: str
    status: str
    status_label: str
    placed_at: datetime
    email: str
    customer_id: int | None
    currency: str
    lines: tuple[OrderLineView, ...]
    subtotal: Money
    discount_total: Money
    shipping_method: str
    shipping_total: Money
    tax_total: Money
    grand_total: Money
    refunded_total: Money
    prices_include_tax: bool
    shipping_address: PostalAddress
    billing_address: PostalAddress
    shipments: tuple[ShipmentView, ...]
    payments: tuple[PaymentView, ...]

    @property
    def awaits_payment(self) -> bool:
        """Pending, with no payment under way: the shopper may pay (again, after a decline)."""
        return self.status == "pending_payment" and not any(
            p.status in OPEN_PAYMENT_STATUSES for p in self.payments
        )


class OrderError(DomainError):
    """Base of every refusal by the orders context; the message is fit for a shopper.

    REST answers it 400 ``{"detail": message}`` unless a subclass says
    otherwise (kernel/errors.py).
    """


class InvalidOrder(OrderError, ValueError):
    """A draft that cannot become an order (no lines, totals that do not add up, ...)."""


class RefundRefused(InvalidOrder):
    """An amount no refund of this order can be (nothing, more than is left, finer than the
    currency's minor unit): well formed, refused by the order's state, REST answers 422."""

    http_status = 422
    field = "amount"


class OrderNotFound(OrderError, LookupError):
    """No such order, or not one the caller may see (the same answer, on purpose)."""


class TransitionNotAllowed(OrderError):
    """The order's status does not allow this (cancel a shipped order, ship a refunded one,
    pay a paid one): a conflict with the order's state, which REST answers 409."""

    http_status = 409


class PaymentError(OrderError):
    """A payment operation the provider or the payment's state refuses."""


class PaymentConflict(PaymentError):
    """The payment's (or the order's payments') state does not allow this now: a payment
    in progress, one that waits for nothing, a method other than the attempt's: REST 409."""

    http_status = 409


class CardRequired(PaymentError):
    """A card method without the card: a rule the schema cannot state (``card`` is optional
    for the other methods), so REST answers 422 naming ``card``."""

    http_status = 422
    field = "card"


class CartError(OrderError):
    """A cart change refused (limits, unknown product, a voucher pricing turned down).

    ``field`` names the input it is about, so REST answers a 400 on that field.
    """

    field = "non_field_errors"


class NotInCart(CartError):
    """The line or voucher to take out of the cart is not in it: REST answers 404."""

    http_status = 404
    field = None


class NotForSale(CartError):
    """No product with this SKU can be bought (none, or it has no price): REST answers 404."""

    http_status = 404
    field = "sku"

    def __init__(self, sku: str, message: str) -> None:
        self.sku = sku
        super().__init__(message)

    def http_body(self) -> dict[str, object]:
        return {
            "detail": str(self),
            "code": "not_for_sale",
            "sku": self.sku,
            "errors": {self.field: [str(self)]},
        }


class VariantRequired(CartError):
    """``sku`` names a product sold in variants, not one of them: REST answers 422 with the
    ``variant_skus`` to choose from (the request was well formed; a search card's ``sku``
    is the product's code, which a cart cannot hold)."""

    http_status = 422
    field = "sku"

    def __init__(self, sku: str, variant_skus: tuple[str, ...], message: str) -> None:
        self.sku = sku
        self.variant_skus = variant_skus
        super().__init__(message)

    def http_body(self) -> dict[str, object]:
        return {
            "detail": str(self),
            "code": "variant_required",
            "sku": self.sku,
            "variant_skus": list(self.variant_skus),
            "errors": {self.field: [str(self)]},
        }


class CartConflict(CartError):
    """A change the cart's current state does not allow: REST answers 409 with ``code``.

    ``cart_full`` (as many products as a cart may hold), ``line_full`` (the
    line would hold more than one order may), ``voucher_applied`` (already).
    ``field`` names the input it is about.
    """

    http_status = 409

    def __init__(self, message: str, *, code: str, field: str) -> None:
        self.code = code
        super().__init__(message, field=field)

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": self.code, "errors": {self.field: [str(self)]}}


class VoucherRefused(CartError):
    """A voucher code pricing turned down: 404 if no voucher has it, else 409 (not this cart)."""

    field = "code"

    def __init__(self, code: str, message: str, *, unknown: bool) -> None:
        self.code = code
        self.http_status = 404 if unknown else 409
        super().__init__(message)

    def http_body(self) -> dict[str, object]:
        code = "voucher_unknown" if self.http_status == 404 else "voucher_refused"
        errors = {self.field: [str(self)]}
        return {"detail": str(self), "code": code, "voucher": self.code, "errors": errors}


class CartEmpty(CartError):
    """The change needs lines in the cart (a voucher) and it has none: REST answers 409."""

    http_status = 409
    field = None

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": "cart_empty"}


class OutOfStock(CartError):
    """Nothing of ``sku`` can be bought now: nothing was put in the cart. REST answers 409."""

    http_status = 409
    field = "sku"

    #: Marked for the catalogue; the raiser passes it translated (``orders.cart.stock``).
    MESSAGE = gettext_noop("Sorry, this product is out of stock: your cart was not changed.")

    def __init__(self, sku: str, message: str = MESSAGE) -> None:
        self.sku = sku
        super().__init__(message)

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": "out_of_stock", "sku": self.sku}


@dataclass(frozen=True, slots=True)
class CartNotice:
    """Something the shopper must know about a change that was made (not a refusal).

    ``code`` is stable for apps (``quantity_capped``); ``message`` is the
    one wording storefront and API both show.
    """

    code: str
    sku: str
    message: str


class CheckoutError(OrderError):
    """Checkout cannot go on (empty cart, out of stock, total changed); the message says why."""


class CheckoutConflict(CheckoutError):
    """Checkout cannot go on because of the cart's state, not the request: REST answers 409
    with ``code`` for an app to branch on (``cart_empty``, ``placing_in_progress``,
    ``voucher_refused``)."""

    http_status = 409

    def __init__(self, message: str, *, code: str) -> None:
        self.code = code
        super().__init__(message)

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": self.code}


class CheckoutShortOfStock(CheckoutError):
    """Checkout could not hold or allocate the cart's stock; nothing was held or placed.

    REST answers 409 ``out_of_stock``, as adding an unavailable line does, with
    inventory's ``shortages`` ({sku, requested, available}), so an app can
    branch on the code and show each line's shortage.
    """

    http_status = 409

    def __init__(self, message: str, *, short: InsufficientStock) -> None:
        self.short = short
        super().__init__(message)

    def http_body(self) -> dict[str, object]:
        return {**self.short.http_body(), "detail": str(self), "code": "out_of_stock"}


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    """A shipping method checkout would offer, and what it charges for the goods asked about."""

    code: str
    name: str
    price: Money


@dataclass(frozen=True, slots=True)
class DailySales:
    """Orders placed on ``day`` in ``currency`` (cancelled ones left out), net of refunds."""

    day: date
    currency: str
    orders: int
    revenue: Money


@dataclass(frozen=True, slots=True)
class OrderBacklog:
    """What staff must act on: orders per status, payments to capture, orders to ship."""

    by_status: dict[str, int]
    awaiting_capture: int
    awaiting_shipment: int
