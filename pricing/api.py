"""The public, in-process interface of pricing: keyword-only functions returning DTOs.

Other contexts never compute a price: they ask here. After a split this is
the one file that becomes an HTTP client. Each function only hands over to
the quoting module or a service; input errors are the typed
``pricing.dtos.PricingError`` subclasses, each naming its input field.

How orders uses it, all synchronous (pricing never calls orders back):

1. cart and checkout pages: ``quote(...)`` with the shopper's ``customer``
   and ``context`` (same visitor id throughout, so experiment prices hold),
   and ``with_shipping(...)`` once the charge is known;
2. placing the order: the same once more, then ``redeem_vouchers(...)``
   (raises ``VoucherRejected`` if a parallel checkout took the last use),
   ``release_vouchers(...)`` if placing fails after that, and
   ``record_experiment_sales(...)`` once the order stands;
3. cancelling an order: ``release_vouchers(order_ref=...)``, in the
   cancellation's transaction.

The writes below them are for importers and the demo, each idempotent
(it writes only what differs).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from kernel.money import Money
from pricing import experiment_figures, quoting, remote, selectors
from pricing.dtos import (
    BasketLine,
    Customer,
    ExperimentFigures,
    ExperimentSpec,
    OfferPrice,
    PromotionNotice,
    PromotionSpec,
    Quote,
    QuoteContext,
    Redemption,
    Shopper,
    SkuPrice,
    UnitPrice,
)
from pricing.services import (
    experiments,
    price_lists,
    prices,
    promotions,
    tax,
    vouchers,
)


def shopper(*, customer_id: int | None, visitor_id: str | None = None) -> Shopper:
    """The shopper to price for: a guest without ``customer_id``, else with their groups.

    One query (accounts' groups of the customer) for a customer, none for a guest.
    """
    return quoting.shopper(customer_id=customer_id, visitor_id=visitor_id)


def price_segment(*, shopper: Shopper, currency: str) -> str:
    """Which shoppers see the same prices as ``shopper`` in ``currency``, as a short text.

    Shoppers with the same segment (currency, price-list groups, the arm of
    every running experiment) are shown the same price for every SKU, so
    a page or fragment priced for one may be cached for all of them: the
    gateway keys what it caches by this, never by pricing's rules. No query
    when pricing's caches are warm (running experiments).
    """
    return quoting.price_segment(shopper=shopper, currency=currency)


def prices_hold_until(*, segment: str | None = None) -> datetime | None:
    """When a price shown now may next change with no commit (so no event, no forgotten
    cache generation): the next start or end of a promotion's window, or with a ``segment``
    (``price_segment``) naming customer groups, of one of their price lists' windows; None
    when none is ahead. A copy of anything showing prices (a page the gateway keeps, a
    shared cache's copy) must not be served past it. No query when pricing's caches are
    warm.
    """
    return quoting.prices_hold_until(segment=segment)


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
    return quoting.prices_for(skus=skus, currency=currency, customer=customer, context=context)


def current_promotions(*, limit: int = 6, currency: str | None = None) -> list[PromotionNotice]:
    """The automatic promotions running now, highest priority first, for a shop window.

    Voucher-gated ones are left out: a code is not something to announce
    to everyone. With ``currency``, so is a fixed amount off in another
    currency: it would not apply to that shopper's cart. Two queries.
    """
    return quoting.current_promotions(limit=limit, currency=currency)


def offer_prices(
    *,
    skus: list[str],
    currency: str,
    customer: Customer | None = None,
    context: QuoteContext | None = None,
) -> dict[str, OfferPrice]:
    """Batch read for shop windows: one unit's price with the automatic promotions applied.

    What ``quote`` would charge for a single unit of each SKU for this
    shopper (price lists, experiment, promotions that need no code), and
    why it is lower. A fixed number of queries whatever the number of
    SKUs; SKUs without a price in ``currency`` are absent.
    """
    return quoting.offer_prices(skus=skus, currency=currency, customer=customer, context=context)


def quote(
    *,
    lines: Iterable[BasketLine],
    currency: str,
    customer: Customer | None = None,
    voucher_codes: Iterable[str] = (),
    context: QuoteContext | None = None,
    shipping: Money | None = None,
) -> Quote:
    """What the basket ``lines`` costs this shopper now.

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


def with_shipping(*, quote: Quote, shipping: Money) -> Quote:
    """``quote`` (a quote without shipping, just made) with the ``shipping`` charge added.

    The same as quoting the basket again with ``shipping`` (shipping takes
    no discount and changes no line), without pricing the basket twice:
    checkout decides the charge on the goods' quote, then adds it. Raises
    InvalidShipping (another currency, below zero, shipping already there).
    """
    return quoting.with_shipping(quote=quote, shipping=shipping)


def set_price(
    *, sku: str, price: Money, compare_at: Money | None = None, changed_by: str = "api"
) -> None:
    """Set a base price (and compare-at price); see ``prices.price_set`` for compare-at."""
    prices.price_set(sku=sku, price=price, compare_at=compare_at, changed_by=changed_by)


def redeem_vouchers(
    *, codes: Iterable[str], order_ref: str, customer: Customer | None, subtotal: Money
) -> list[Redemption]:
    """Claim the codes for ``order_ref`` while the order is placed; all or nothing.

    Safe against parallel checkouts (row lock + conditional update);
    idempotent for the same ``order_ref``. ``subtotal`` is the quote's.
    """
    return vouchers.vouchers_redeem(
        codes=codes, order_ref=order_ref, customer=customer, subtotal=subtotal
    )


def release_vouchers(*, order_ref: str) -> int:
    """Give back the voucher uses of a cancelled order; idempotent. Returns how many."""
    return vouchers.vouchers_release(order_ref=order_ref)


def record_experiment_sales(*, order_ref: str, quote: Quote) -> int:
    """Count a placed order's experiment lines towards the experiment results. Idempotent."""
    return experiments.experiment_sales_record(order_ref=order_ref, quote=quote)


def upsert_price_list(
    *,
    name: str,
    customer_group: str,
    prices: Iterable[SkuPrice],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> None:
    """Make the customer group's price list ``name`` hold exactly ``prices``."""
    price_lists.price_list_upsert(
        name=name,
        customer_group=customer_group,
        prices=prices,
        valid_from=valid_from,
        valid_until=valid_until,
        changed_by="api",
    )


def upsert_promotion(*, spec: PromotionSpec) -> None:
    """Create or replace the promotion ``spec.slug`` with its targets and tiers."""
    promotions.promotion_spec_upsert(spec=spec)


def upsert_voucher(
    *,
    code: str,
    promotion_slug: str,
    usage_limit: int | None = None,
    per_customer_limit: int | None = None,
    min_order: Money | None = None,
    valid_until: datetime | None = None,
) -> None:
    """Define the voucher ``code`` for the promotion ``promotion_slug``, with its limits."""
    vouchers.voucher_upsert(
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
    return vouchers.voucher_batch_ensure(
        promotion_slug=promotion_slug, batch=batch, count=count, prefix=prefix
    )


def set_tax_mode(*, currency: str, prices_include_tax: bool) -> None:
    """Whether prices in ``currency`` include tax (EU style) or not (US style)."""
    tax.tax_mode_set(currency=currency, prices_include_tax=prices_include_tax)


def set_tax_rate(*, country: str, tax_class: str, rate: Decimal) -> None:
    """The rate (a fraction: 0.19 for 19 %) of ``tax_class`` in ``country``."""
    tax.tax_rate_set(country=country, tax_class=tax_class, rate=rate)


def set_tax_class(*, sku: str, tax_class: str) -> None:
    """Put ``sku`` in ``tax_class`` (SKUs without one are in the standard class)."""
    tax.sku_tax_class_set(sku=sku, tax_class=tax_class)


def upsert_experiment(*, spec: ExperimentSpec, running: bool) -> None:
    """Define an experiment; ``running`` starts it (or stops it: back to base prices)."""
    experiments.experiment_upsert(spec=spec, running=running)


def running_experiments() -> list[ExperimentFigures]:
    """The running experiments with their current figures (constant queries)."""
    return experiment_figures.running_experiments()


def base_prices(*, skus: list[str]) -> list[UnitPrice]:
    """Staff's view: the base and compare-at prices of ``skus`` in every currency (one query)."""
    return selectors.base_prices(skus=skus)


if settings.PRICING_SERVICE_URL:
    # Pricing out of process: every function above is called in pricing's
    # own service instead, same arguments and DTOs, same errors (chosen once,
    # at import; pricing/remote.py, docs/pricing-service.md).
    globals().update(remote.client_functions(globals(), via=remote.client()))
