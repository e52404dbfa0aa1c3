"""The arithmetic of a quote: pure functions over plain values, no database.

Kept apart from loading so the rules can be read in one place and tested
exhaustively (hypothesis, pricing/tests/test_calculation_properties.py).

Rules, in the order they apply (docs/pricing.md explains them to staff):

1. Lines are merged by SKU and sorted by SKU: the result never depends on
   the order the basket was sent in.
2. Line promotions are tried in priority order (highest first, then slug).
   An exclusive promotion applies only to a line nothing has discounted yet,
   and stops the search; combinable ones apply one after the other, each on
   what is left of the line. A discount never exceeds what is left, so a
   line never goes below zero.
3. Order promotions follow the same rule on the sum of the line totals.
4. Order discounts are shared out over the lines in proportion to their
   totals (cumulative rounding, so the shares add up exactly), and tax is
   computed per line on what is left: extracted from it when prices include
   tax, added on top when they do not.
5. A shipping charge, when given, is taxed the same way at its own rate
   (the country's standard rate) and added to the tax and the total; it
   takes no discount.

Every amount is rounded to the currency's minor unit (``Money.rounded``,
half up) once, when it is determined; sums of rounded amounts are exact.
So each discount and each line's tax is within half a minor unit of its
exact value, and the displayed parts always add up to the displayed total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kernel.money import Money
from pricing.dtos import AppliedDiscount, ExperimentAssignment, Quote, QuoteLine, QuoteShipping

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Rule:
    """A promotion, resolved for one quote: which of its SKUs it covers and how much."""

    slug: str
    reason: str
    kind: str  # "percentage", "fixed", "buy_x_get_y", "tiered"
    order_level: bool = False
    skus: frozenset[str] = frozenset()
    percent: Decimal | None = None
    amount: Money | None = None
    buy: int = 0
    get: int = 0
    tiers: tuple[tuple[int, Decimal], ...] = ()
    priority: int = 0
    exclusive: bool = False
    voucher_code: str | None = None

    @property
    def sort_key(self) -> tuple[int, str]:
        return (-self.priority, self.slug)


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A basket line with its unit price already resolved (price list, experiment)."""

    sku: str
    quantity: int
    unit_price: Money
    compare_at: Money | None = None
    tax_rate: Decimal = Decimal(0)
    experiment: ExperimentAssignment | None = None


@dataclass(slots=True)
class _Working:
    line: PricedLine
    subtotal: Money
    left: Money
    discounts: list[AppliedDiscount] = field(default_factory=list)


def merge_lines(lines: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Add up quantities of repeated SKUs; sorted by SKU."""
    merged: dict[str, int] = {}
    for sku, quantity in lines:
        merged[sku] = merged.get(sku, 0) + quantity
    return sorted(merged.items())


def line_discount(rule: Rule, line: PricedLine, left: Money) -> Money:
    """What ``rule`` takes off ``line`` when ``left`` of it is still to pay (rounded, <= left)."""
    if rule.kind == "percentage":
        raw = left * (rule.percent / HUNDRED)
    elif rule.kind == "fixed":
        raw = rule.amount * line.quantity
    elif rule.kind == "buy_x_get_y":
        free_units = line.quantity // (rule.buy + rule.get) * rule.get
        raw = line.unit_price * free_units
    elif rule.kind == "tiered":
        reached = [percent for minimum, percent in rule.tiers if line.quantity >= minimum]
        raw = left * (max(reached) / HUNDRED) if reached else Money.zero(left.currency)
    else:
        raise ValueError(f"unknown promotion kind {rule.kind!r}")
    return min(raw, left).rounded()


def order_discount(rule: Rule, left: Money) -> Money:
    if rule.kind == "percentage":
        raw = left * (rule.percent / HUNDRED)
    elif rule.kind == "fixed":
        raw = rule.amount
    else:
        raise ValueError(f"{rule.kind!r} promotions do not apply to a whole order")
    return min(raw, left).rounded()


def _apply_stacked(rules: list[Rule], left: Money, discount_of) -> list[AppliedDiscount]:
    """Rules in priority order under the stacking rule; returns what applied."""
    applied: list[AppliedDiscount] = []
    for rule in sorted(rules, key=lambda r: r.sort_key):
        if rule.exclusive and applied:
            continue
        amount = discount_of(rule, left)
        if not amount:
            continue
        applied.append(AppliedDiscount(rule.slug, rule.reason, amount, rule.voucher_code))
        left -= amount
        if rule.exclusive:
            break
    return applied


def _total(amounts: Iterable[Money], currency: str) -> Money:
    return sum(amounts, Money.zero(currency))


def allocate(total: Money, weights: list[Money]) -> list[Money]:
    """Share ``total`` out in proportion to ``weights``; shares add up to ``total`` exactly.

    Cumulative rounding: share i is round(total * W_i / W) - round(total *
    W_(i-1) / W), with W_i the running sum of weights. Each share is within
    one minor unit of its exact proportion and never above its weight while
    ``total`` is not above the sum of weights.
    """
    whole = _total(weights, total.currency)
    if not whole:
        return [Money.zero(total.currency) for _ in weights]
    shares, running, previous = [], Money.zero(total.currency), Money.zero(total.currency)
    for weight in weights:
        running += weight
        reached = (total * (running.amount / whole.amount)).rounded()
        shares.append(reached - previous)
        previous = reached
    return shares


def line_tax(net: Money, rate: Decimal, *, included: bool) -> Money:
    """The tax portion of ``net``: extracted from it if included, else on top of it."""
    if included:
        return (net * (rate / (1 + rate))).rounded()
    return (net * rate).rounded()


def calculate(
    *,
    currency: str,
    lines: list[PricedLine],
    rules: list[Rule],
    prices_include_tax: bool,
    tax_country: str | None = None,
    voucher_codes: tuple[str, ...] = (),
    shipping: Money | None = None,
    shipping_tax_rate: Decimal = Decimal(0),
) -> Quote:
    """The quote of ``lines`` (already merged) under ``rules``; see the module docstring."""
    working = []
    for line in sorted(lines, key=lambda item: item.sku):
        subtotal = (line.unit_price * line.quantity).rounded()
        item = _Working(line=line, subtotal=subtotal, left=subtotal)
        line_rules = [r for r in rules if not r.order_level and line.sku in r.skus]
        item.discounts = _apply_stacked(
            line_rules, item.left, lambda rule, left, line=line: line_discount(rule, line, left)
        )
        item.left -= _total((d.amount for d in item.discounts), currency)
        working.append(item)

    lines_total = _total((w.left for w in working), currency)
    order_rules = [r for r in rules if r.order_level]
    order_discounts = _apply_stacked(order_rules, lines_total, order_discount)
    order_discount_total = _total((d.amount for d in order_discounts), currency)
    shares = allocate(order_discount_total, [w.left for w in working])

    quote_lines = []
    for item, share in zip(working, shares, strict=True):
        tax = line_tax(item.left - share, item.line.tax_rate, included=prices_include_tax)
        quote_lines.append(
            QuoteLine(
                sku=item.line.sku,
                quantity=item.line.quantity,
                unit_price=item.line.unit_price,
                compare_at=item.line.compare_at,
                subtotal=item.subtotal,
                discounts=tuple(item.discounts),
                total=item.left,
                tax_rate=item.line.tax_rate,
                tax=tax,
                experiment=item.line.experiment,
            )
        )

    subtotal = _total((line.subtotal for line in quote_lines), currency)
    tax = _total((line.tax for line in quote_lines), currency)
    net = lines_total - order_discount_total
    goods = Quote(
        currency=currency,
        lines=tuple(quote_lines),
        subtotal=subtotal,
        order_discounts=tuple(order_discounts),
        discount_total=subtotal - net,
        prices_include_tax=prices_include_tax,
        tax_country=tax_country,
        tax=tax,
        total=net if prices_include_tax else net + tax,
        voucher_codes=voucher_codes,
    )
    if shipping is None:
        return goods
    return add_shipping(goods, shipping=shipping, tax_rate=shipping_tax_rate)


def add_shipping(goods: Quote, *, shipping: Money, tax_rate: Decimal) -> Quote:
    """The quote of the ``goods`` with a shipping charge (rule 5), which changes nothing else.

    So a checkout that decides the charge on the goods' quote (free over
    an amount) adds it here rather than quoting the basket a second time.
    """
    amount = shipping.rounded()
    charge = QuoteShipping(
        amount=amount,
        tax_rate=tax_rate,
        tax=line_tax(amount, tax_rate, included=goods.prices_include_tax),
    )
    on_top = Money.zero(goods.currency) if goods.prices_include_tax else charge.tax
    return replace(
        goods, tax=goods.tax + charge.tax, total=goods.total + amount + on_top, shipping=charge
    )
