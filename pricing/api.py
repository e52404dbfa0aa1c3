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

from django.utils import timezone

from commerce.shared.money import Money
from pricing import quoting, services
from pricing.dtos import Customer, Quote, QuoteContext, Redemption, UnitPrice


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
) -> Quote:
    """What the basket ``lines`` ([(sku, quantity)]) costs this shopper now.

    Deterministic and independent of line order (lines are merged by SKU
    and sorted). Raises UnknownCurrency, InvalidQuantity, UnknownSku or
    VoucherRejected (with the specific reason).
    """
    return quoting.quote(
        lines=lines,
        currency=currency,
        customer=customer,
        voucher_codes=voucher_codes,
        context=context,
    )


def set_price(
    *, sku: str, price: Money, compare_at: Money | None = None, changed_by: str = "api"
) -> None:
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
