"""The public, in-process interface of pricing: keyword-only functions returning DTOs.

Other contexts never compute a price: they ask here. After a split this is
the one file that becomes an HTTP client. Input errors are the typed
``pricing.dtos.PricingError`` subclasses, each naming its input field.

Call order for orders (issue 6), all synchronous, pricing never calls back:

1. cart and checkout pages: ``quote(...)`` with the shopper's ``customer``
   and ``context`` (same visitor id throughout, so experiment prices hold);
2. placing the order, inside orders' transaction: ``quote(...)`` once more,
   then ``redeem_vouchers(...)`` (raises ``VoucherRejected`` if a parallel
   checkout took the last use: roll back) and
   ``record_experiment_sales(...)``;
3. cancelling: ``release_vouchers(order_ref=...)``, or a pricing subscriber
   to ``orders.order_cancelled.v1`` once orders publishes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from accounts import api as accounts_api
from kernel.money import Money
from pricing import quoting, services
from pricing.dtos import (
    Customer,
    ExperimentSpec,
    PromotionSpec,
    Quote,
    QuoteContext,
    Redemption,
    Shopper,
    UnitPrice,
)


def shopper(*, customer_id: int | None, visitor_id: str | None = None) -> Shopper:
    """The shopper to price for: a guest without ``customer_id``, else with their groups.

    One query (accounts' groups of the customer) for a customer, none for a guest.
    """
    if customer_id is None:
        return Shopper(visitor_id=visitor_id)
    groups = accounts_api.customer_pricing_groups(customer_id=customer_id)
    return Shopper(customer=Customer(customer_id=customer_id, groups=groups), visitor_id=visitor_id)


def prices_for(
    *,
    skus: list[str],
    currency: str,
    customer: Customer | None = None,
    context: QuoteContext | None = None,
) -> dict[str, UnitPrice]:
    """Batch read for listings: a fixed number of queries whatever the number of SKUs.

    SKUs without a price in ``currency`` are absent from the result (the
    storefront shows them as unavailable to buy). With a customer or a
    visitor id the prices are theirs: group price lists and experiment
    variants, the same as their quote will use.
    """
    currency = quoting.checked_currency(currency)
    at = (context.at if context else None) or timezone.now()
    prices, _ = quoting.resolved_prices(
        skus=list(skus), currency=currency, customer=customer, context=context, at=at
    )
    return prices


def quote(
    *,
    lines: Iterable[tuple[str, int]],
    currency: str,
    customer: Customer | None = None,
    voucher_codes: Iterable[str] = (),
    context: QuoteContext | None = None,
    shipping: Money | None = None,
) -> Quote:
    """What the basket ``lines`` ([(sku, quantity)]) costs this shopper now.

    Deterministic and independent of line order (lines are merged by SKU
    and sorted). ``shipping``: the shipping charge in the quote's currency
    (as shown: tax-inclusive where prices include tax); it is taxed at the
    tax country's standard rate and comes back as ``Quote.shipping``, its
    tax in ``Quote.tax`` and both in ``Quote.total``. Raises
    UnknownCurrency, InvalidQuantity, InvalidShipping, UnknownSku or
    VoucherRejected (with the specific reason).
    """
    return quoting.quote(
        lines=lines,
        currency=currency,
        customer=customer,
        voucher_codes=voucher_codes,
        context=context,
        shipping=shipping,
    )


def set_price(
    *, sku: str, price: Money, compare_at: Money | None = None, changed_by: str = "api"
) -> None:
    """Set a base price (and compare-at price); see ``services.price_set`` for compare-at."""
    services.price_set(sku=sku, price=price, compare_at=compare_at, changed_by=changed_by)


def redeem_vouchers(
    *, codes: Iterable[str], order_ref: str, customer: Customer | None, subtotal: Money
) -> list[Redemption]:
    """Claim the codes for ``order_ref`` while the order is placed; all or nothing.

    Safe against parallel checkouts (row lock + conditional update);
    idempotent for the same ``order_ref``. ``subtotal`` is the quote's.
    """
    return services.vouchers_redeem(
        codes=list(codes), order_ref=order_ref, customer=customer, subtotal=subtotal
    )


def release_vouchers(*, order_ref: str) -> int:
    """Give back the voucher uses of a cancelled order; idempotent. Returns how many."""
    return services.vouchers_release(order_ref=order_ref)


def record_experiment_sales(*, order_ref: str, quote: Quote) -> int:
    """Count a placed order's experiment lines towards the experiment results. Idempotent."""
    return services.experiment_sales_record(order_ref=order_ref, quote=quote)


# --- Writes for importers and the demo: each idempotent (writes only what differs) ---


def upsert_price_list(
    *,
    name: str,
    customer_group: str,
    prices: Iterable[tuple[str, Money]],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> None:
    """Make the customer group's price list ``name`` hold exactly ``prices`` [(sku, Money)]."""
    services.price_list_upsert(
        name=name,
        customer_group=customer_group,
        prices=list(prices),
        valid_from=valid_from,
        valid_until=valid_until,
        changed_by="api",
    )


def upsert_promotion(*, spec: PromotionSpec) -> None:
    fields = {
        "name": spec.name,
        "reason": spec.reason,
        "kind": spec.kind,
        "scope": spec.scope,
        "percent": spec.percent,
        "amount": spec.amount.amount if spec.amount else None,
        "currency": spec.amount.currency if spec.amount else "",
        "buy_quantity": spec.buy_quantity,
        "get_quantity": spec.get_quantity,
        "starts_at": spec.starts_at,
        "ends_at": spec.ends_at,
        "priority": spec.priority,
        "stacking": "exclusive" if spec.exclusive else "combinable",
        "requires_voucher": spec.requires_voucher,
        "is_active": spec.is_active,
    }
    services.promotion_upsert(slug=spec.slug, fields=fields, targets=spec.targets, tiers=spec.tiers)


def upsert_voucher(
    *,
    code: str,
    promotion_slug: str,
    usage_limit: int | None = None,
    per_customer_limit: int | None = None,
    min_order: Money | None = None,
    valid_until: datetime | None = None,
) -> None:
    services.voucher_upsert(
        code=code,
        promotion_slug=promotion_slug,
        usage_limit=usage_limit,
        per_customer_limit=per_customer_limit,
        min_order=min_order,
        valid_until=valid_until,
    )


def ensure_voucher_batch(
    *, promotion_slug: str, batch: str, count: int, prefix: str = ""
) -> list[str]:
    """Top the batch up to ``count`` single-use codes of the promotion; returns its codes."""
    return services.voucher_batch_ensure(
        promotion_slug=promotion_slug, batch=batch, count=count, prefix=prefix
    )


def set_tax_mode(*, currency: str, prices_include_tax: bool) -> None:
    services.tax_mode_set(
        currency=quoting.checked_currency(currency), prices_include_tax=prices_include_tax
    )


def set_tax_rate(*, country: str, tax_class: str, rate: Decimal) -> None:
    services.tax_rate_set(country=country, tax_class=tax_class, rate=rate)


def set_tax_class(*, sku: str, tax_class: str) -> None:
    services.sku_tax_class_set(sku=sku, tax_class=tax_class)


def upsert_experiment(*, spec: ExperimentSpec, running: bool) -> None:
    """Define an experiment; ``running`` starts it (or stops it: back to base prices)."""
    experiment = services.experiment_upsert(spec=spec)
    if running and experiment.status != "running":
        services.experiment_start(experiment=experiment)
    elif not running and experiment.status == "running":
        services.experiment_stop(experiment=experiment)


def set_demand(*, sku: str, units_last_7_days: int) -> None:
    """Recent demand read by demand-based experiment rules (until orders feeds it)."""
    services.demand_set(sku=sku, units_last_7_days=units_last_7_days)
