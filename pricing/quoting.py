"""Building a quote: validate the basket, load what applies, hand over to calculation.

A quote costs a fixed number of queries whatever the size of the basket.
It changes nothing a shopper pays (vouchers are claimed by
``services.vouchers.vouchers_redeem`` when the order is placed); its one write is
noting, for experiment results, that the shopper saw a variant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from accounts import api as accounts_api
from kernel import money
from kernel.quantities import is_valid_quantity
from pricing import calculation, experiments, selectors
from pricing.dtos import (
    BasketLine,
    Customer,
    ExperimentAssignment,
    InvalidQuantity,
    InvalidShipping,
    MergedQuantityTooLarge,
    OfferPrice,
    PromotionNotice,
    Quote,
    QuoteContext,
    Shopper,
    UnitPrice,
    UnknownCurrency,
    UnknownSku,
    VoucherRejected,
)
from pricing.models import Promotion, PromotionTarget, SkuPlacement, normalize_code
from pricing.services.experiments import experiment_exposures_record
from pricing.vouchers import validate_vouchers


def checked_currency(currency: str) -> str:
    try:
        return money.validate_currency(currency)
    except money.UnknownCurrency as exc:
        raise UnknownCurrency(str(exc)) from exc


def checked_lines(lines: Iterable[BasketLine]) -> list[tuple[str, int]]:
    """Merged, sorted (sku, quantity) pairs; quantities must be whole, positive and sane."""
    limit = settings.PRICING_MAX_LINE_QUANTITY
    lines = [(line.sku, line.quantity) for line in lines]
    if not lines:
        raise InvalidQuantity("the basket is empty")
    if len(lines) > settings.PRICING_MAX_LINES:
        raise InvalidQuantity(f"at most {settings.PRICING_MAX_LINES} lines per basket")
    for sku, quantity in lines:
        if not is_valid_quantity(quantity):
            raise InvalidQuantity(f"quantity of {sku} must be a whole number of at least 1")
    merged = calculation.merge_lines(lines)
    for sku, quantity in merged:
        if not is_valid_quantity(quantity, most=limit):
            raise MergedQuantityTooLarge(f"quantity of {sku} must be at most {limit}")
    return merged


def resolved_prices(
    *,
    skus: list[str],
    currency: str,
    customer: Customer | None,
    context: QuoteContext | None,
    at: datetime,
    placements: dict[str, SkuPlacement] | None = None,
) -> tuple[dict[str, UnitPrice], dict[str, ExperimentAssignment]]:
    """Unit prices for this shopper now: price lists, then experiments."""
    groups = customer.groups if customer else ()
    prices = selectors.unit_prices(skus=skus, currency=currency, groups=groups, at=at)
    return experiments.apply(
        prices, key=experiments.shopper_key(customer, context), placements=placements
    )


def moment(context: QuoteContext | None) -> datetime:
    """When a quote is for: the context's ``at`` (admin preview), else now."""
    return (context.at if context else None) or timezone.now()


def prices_for(
    *, skus: list[str], currency: str, customer: Customer | None, context: QuoteContext | None
) -> dict[str, UnitPrice]:
    """See ``api.prices_for``: the unit prices a quote for this shopper would use."""
    prices, _ = resolved_prices(
        skus=list(skus),
        currency=checked_currency(currency),
        customer=customer,
        context=context,
        at=moment(context),
    )
    return prices


def offer_prices(
    *, skus: list[str], currency: str, customer: Customer | None, context: QuoteContext | None
) -> dict[str, OfferPrice]:
    """See ``api.offer_prices``: each SKU priced as a quantity-1 line of a quote.

    The same rules as ``quote`` (price lists, experiments, the open line
    promotions), applied by the same calculation to one line per SKU; line
    promotions are judged per line, so lines do not affect each other.
    """
    currency = checked_currency(currency)
    at = moment(context)
    promotions = [
        p
        for p in selectors.active_promotions(at=at)
        if _applies_in(p, currency) and p.scope == Promotion.Scope.LINES
    ]
    # Placements only matter to promotions (and experiments, which read their own).
    placements = selectors.placements(skus=skus) if promotions else None
    prices, _ = resolved_prices(
        skus=list(skus),
        currency=currency,
        customer=customer,
        context=context,
        at=at,
        placements=placements,
    )
    priced_skus = sorted(prices)
    rules = [
        rule_of(p, skus=priced_skus, placements=placements, voucher_code=None) for p in promotions
    ]
    result = calculation.calculate(
        currency=currency,
        lines=[calculation.PricedLine(sku=sku, quantity=1, unit_price=prices[sku].price)
               for sku in priced_skus],
        rules=rules,
        # Line totals are the same either way: tax is only split out or added after them.
        prices_include_tax=True,
    )  # fmt: skip
    return {
        line.sku: OfferPrice(
            sku=line.sku,
            price=line.total,
            before=prices[line.sku].price,
            compare_at=prices[line.sku].compare_at,
            reasons=tuple(discount.reason for discount in line.discounts),
        )
        for line in result.lines
    }


def checked_shipping(shipping: money.Money | None, currency: str) -> money.Money | None:
    if shipping is None:
        return None
    if shipping.currency != currency:
        raise InvalidShipping(f"shipping must be in {currency}, not {shipping.currency}")
    if shipping.amount < 0:
        raise InvalidShipping("shipping cannot cost less than nothing")
    return shipping


def tax_country(currency: str, context: QuoteContext | None) -> str | None:
    if context and context.country:
        return context.country.upper()
    return settings.PRICING_DEFAULT_COUNTRY.get(currency)


def _covers(target: PromotionTarget, sku: str, placement: SkuPlacement | None) -> bool:
    if target.kind == PromotionTarget.Kind.SKU:
        return target.value == sku
    if target.kind == PromotionTarget.Kind.PRODUCT:
        return target.value == sku or (
            placement is not None and placement.product_sku == target.value
        )
    return placement is not None and target.value in placement.category_slugs


def rule_of(
    promotion: Promotion,
    *,
    skus: list[str],
    placements: dict[str, SkuPlacement],
    voucher_code: str | None,
) -> calculation.Rule:
    targets = list(promotion.targets.all())
    covered = frozenset(
        sku for sku in skus if any(_covers(t, sku, placements.get(sku)) for t in targets)
    )
    return calculation.Rule(
        slug=promotion.slug,
        reason=promotion.reason,
        kind=promotion.kind,
        order_level=promotion.scope == Promotion.Scope.ORDER,
        skus=covered,
        percent=promotion.percent,
        amount=money.Money(promotion.amount, promotion.currency) if promotion.amount else None,
        buy=promotion.buy_quantity or 0,
        get=promotion.get_quantity or 0,
        tiers=tuple((t.min_quantity, t.percent) for t in promotion.tiers.all()),
        priority=promotion.priority,
        exclusive=promotion.stacking == Promotion.Stacking.EXCLUSIVE,
        voucher_code=voucher_code,
    )


def _applies_in(promotion: Promotion, currency: str) -> bool:
    """A fixed amount is in one currency: it does not apply to quotes in another."""
    return promotion.kind != Promotion.Kind.FIXED or promotion.currency == currency


def quote(
    *,
    lines: Iterable[BasketLine],
    currency: str,
    customer: Customer | None = None,
    voucher_codes: Iterable[str] = (),
    context: QuoteContext | None = None,
    shipping: money.Money | None = None,
    note_exposures: bool = True,
) -> Quote:
    """See ``api.quote``; staff previews pass ``note_exposures=False`` (not a shopper)."""
    currency = checked_currency(currency)
    merged = checked_lines(lines)
    shipping = checked_shipping(shipping, currency)
    skus = [sku for sku, _ in merged]
    at = moment(context)
    placements = selectors.placements(skus=skus)
    prices, assignments = resolved_prices(
        skus=skus,
        currency=currency,
        customer=customer,
        context=context,
        at=at,
        placements=placements,
    )
    if missing := [sku for sku in skus if sku not in prices]:
        raise UnknownSku(missing, currency)

    country = tax_country(currency, context)
    taxes = selectors.tax_book()
    rates = selectors.tax_rates(skus=skus, country=country, book=taxes)
    priced = [
        calculation.PricedLine(
            sku=sku,
            quantity=quantity,
            unit_price=prices[sku].price,
            compare_at=prices[sku].compare_at,
            tax_rate=rates[sku],
            experiment=assignments.get(sku),
        )
        for sku, quantity in merged
    ]
    subtotal = sum(
        ((line.unit_price * line.quantity).rounded() for line in priced),
        money.Money.zero(currency),
    )
    codes = sorted({normalize_code(code) for code in voucher_codes if code.strip()})
    unlocked = validate_vouchers(codes=codes, customer=customer, subtotal=subtotal, at=at)
    rules = [
        rule_of(p, skus=skus, placements=placements, voucher_code=unlocked.get(p.pk))
        for p in selectors.active_promotions(at=at, unlocked=unlocked.keys())
        if _applies_in(p, currency)
    ]
    result = calculation.calculate(
        currency=currency,
        lines=priced,
        rules=rules,
        prices_include_tax=taxes.includes_tax(currency),
        tax_country=country,
        voucher_codes=tuple(codes),
        shipping=shipping,
        shipping_tax_rate=taxes.shipping_rate(country) if shipping is not None else Decimal(0),
    )
    _reject_unused_vouchers(result, codes)
    if assignments and note_exposures:
        experiment_exposures_record(
            shopper_key=experiments.shopper_key(customer, context),
            assignments=list(assignments.values()),
        )
    return result


def with_shipping(*, quote: Quote, shipping: money.Money) -> Quote:
    """See ``api.with_shipping``: the tax country's standard rate, from the tax book."""
    if quote.shipping is not None:
        raise InvalidShipping("this quote has a shipping charge already")
    shipping = checked_shipping(shipping, quote.currency)
    rate = selectors.tax_book().shipping_rate(quote.tax_country)
    return calculation.add_shipping(quote, shipping=shipping, tax_rate=rate)


def _reject_unused_vouchers(result: Quote, codes: list[str]) -> None:
    used = {d.voucher_code for d in result.order_discounts}
    used |= {d.voucher_code for line in result.lines for d in line.discounts}
    for code in codes:
        if code not in used:
            raise VoucherRejected(
                code,
                gettext("does not apply to the items in this basket (or to other offers on them)"),
            )


def shopper(*, customer_id: int | None, visitor_id: str | None) -> Shopper:
    """A guest without ``customer_id``; else the customer with their pricing groups.

    The groups come from accounts (one query), so the storefront and the
    cart price a customer the same way.
    """
    if customer_id is None:
        return Shopper(visitor_id=visitor_id)
    groups = accounts_api.customer_pricing_groups(customer_id=customer_id)
    return Shopper(customer=Customer(customer_id=customer_id, groups=groups), visitor_id=visitor_id)


#: Where a segment names its shopper's customer groups.
_GROUPS = "groups:"


def price_segment(*, shopper: Shopper, currency: str) -> str:
    """See ``api.price_segment``."""
    customer = shopper.customer
    key = experiments.shopper_key(customer, shopper.context)
    parts = [checked_currency(currency)]
    if customer and customer.groups:
        # ":" is never in an experiment's slug, so no experiment's part reads as groups.
        parts.append(_GROUPS + ",".join(sorted(customer.groups)))
    parts += [f"{slug}={arm}" for slug, arm in experiments.arms(key=key)]
    return ";".join(parts)


def prices_hold_until(*, segment: str | None = None) -> datetime | None:
    """See ``api.prices_hold_until``."""
    now = timezone.now()
    edges = [selectors.next_promotion_edge(after=now)]
    if groups := _groups_of(segment):
        edges.append(selectors.next_price_list_edge(groups=groups, after=now))
    return min((edge for edge in edges if edge is not None), default=None)


def _groups_of(segment: str | None) -> set[str]:
    """The customer groups a segment (``price_segment``) names."""
    for part in (segment or "").split(";"):
        if part.startswith(_GROUPS):
            return set(part.removeprefix(_GROUPS).split(","))
    return set()


def current_promotions(*, limit: int, currency: str | None = None) -> list[PromotionNotice]:
    """See ``api.current_promotions``."""
    notices = []
    for promotion in selectors.open_promotions(at=timezone.now(), limit=limit, currency=currency):
        targets = list(promotion.targets.all())
        single_category = len(targets) == 1 and targets[0].kind == PromotionTarget.Kind.CATEGORY
        notices.append(
            PromotionNotice(
                slug=promotion.slug,
                name=promotion.name,
                reason=promotion.reason,
                category=targets[0].value if single_category else None,
            )
        )
    return notices
