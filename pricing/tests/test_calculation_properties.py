"""Properties of the quote arithmetic, over generated baskets and promotions (no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.money import Money
from pricing.calculation import PricedLine, Rule, add_shipping, allocate, calculate

HALF_CENT = Decimal("0.005")
SKUS = [f"SKU-{n}" for n in range(6)]

amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("999.99"), places=2)
percents = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)
rates = st.sampled_from([Decimal(0), Decimal("0.07"), Decimal("0.19"), Decimal("0.2")])


@st.composite
def baskets(draw):
    skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=6, unique=True))
    return [
        PricedLine(
            sku=sku,
            quantity=draw(st.integers(min_value=1, max_value=50)),
            unit_price=Money(draw(amounts), "EUR"),
            tax_rate=draw(rates),
        )
        for sku in skus
    ]


@st.composite
def rules(draw):
    kind = draw(st.sampled_from(["percentage", "fixed", "buy_x_get_y", "tiered"]))
    order_level = kind in ("percentage", "fixed") and draw(st.booleans())
    return Rule(
        slug=draw(st.text("abcdef", min_size=1, max_size=4)),
        reason="offer",
        kind=kind,
        order_level=order_level,
        skus=frozenset(draw(st.lists(st.sampled_from(SKUS), max_size=6))),
        percent=draw(percents),
        amount=Money(draw(amounts), "EUR"),
        buy=draw(st.integers(min_value=1, max_value=4)),
        get=draw(st.integers(min_value=1, max_value=3)),
        tiers=((2, draw(percents)), (5, draw(percents))),
        priority=draw(st.integers(min_value=0, max_value=3)),
        exclusive=draw(st.booleans()),
    )


#: Promotion slugs are unique in the database; so they are here.
promotion_sets = st.lists(rules(), max_size=5, unique_by=lambda rule: rule.slug)


def quote_of(lines, promotions, *, included=True):
    return calculate(currency="EUR", lines=lines, rules=promotions, prices_include_tax=included)


@settings(max_examples=150, deadline=None)
@given(lines=baskets(), promotions=promotion_sets, included=st.booleans())
def test_nothing_goes_below_zero_and_the_parts_add_up(lines, promotions, included):
    quote = quote_of(lines, promotions, included=included)
    zero = Money.zero("EUR")
    assert quote.total >= zero
    assert quote.tax >= zero
    for line in quote.lines:
        assert zero <= line.total <= line.subtotal
        assert line.subtotal - sum((d.amount for d in line.discounts), zero) == line.total
        assert all(d.amount > zero for d in line.discounts)
    net = quote.subtotal - quote.discount_total
    assert quote.total == (net if included else net + quote.tax)
    order_off = sum((d.amount for d in quote.order_discounts), zero)
    assert order_off <= sum((line.total for line in quote.lines), zero)
    for money in [quote.total, quote.tax, quote.discount_total]:
        assert money == money.rounded()


@settings(max_examples=150, deadline=None)
@given(lines=baskets(), promotions=promotion_sets, data=st.data())
def test_line_order_does_not_change_the_quote(lines, promotions, data):
    shuffled = data.draw(st.permutations(lines))
    reordered_rules = data.draw(st.permutations(promotions))
    assert quote_of(shuffled, reordered_rules) == quote_of(lines, promotions)


@settings(max_examples=150, deadline=None)
@given(lines=baskets(), percent=percents)
def test_rounding_of_a_percentage_is_within_half_a_cent_per_line(lines, percent):
    """One rounding per discount: the total is off the exact value by at most n x 0.005."""
    rule = Rule(slug="p", reason="p", kind="percentage", skus=frozenset(SKUS), percent=percent)
    quote = quote_of(lines, [rule])
    exact = sum(line.unit_price.amount * line.quantity for line in lines) * (1 - percent / 100)
    assert abs(quote.total.amount - exact) <= HALF_CENT * len(lines)


@settings(max_examples=150, deadline=None)
@given(
    total=amounts,
    weights=st.lists(amounts.map(lambda a: Money(a, "EUR")), min_size=1, max_size=8),
)
def test_allocated_shares_add_up_and_stay_within_their_weight(total, weights):
    whole = sum((w for w in weights), Money.zero("EUR"))
    total = min(Money(total, "EUR"), whole)
    shares = allocate(total, weights)
    if whole:
        assert sum(shares, Money.zero("EUR")) == total
    for share, weight in zip(shares, weights, strict=True):
        assert Money.zero("EUR") <= share <= weight
        if whole:
            exact = total.amount * weight.amount / whole.amount
            assert abs(share.amount - exact) <= Decimal("0.01")


@settings(max_examples=200, deadline=None)
@given(net=amounts.map(lambda a: Money(a, "EUR")), rate=rates)
def test_tax_is_the_same_whether_included_or_added(net, rate):
    """The tax added to a net price equals the tax inside the matching gross price (±1 cent)."""
    added = quote_of([PricedLine("A", 1, net, tax_rate=rate)], [], included=False)
    assert added.total == net + added.tax
    assert abs(added.total.amount - (net * (1 + rate)).amount) <= Decimal("0.01")
    gross = added.total  # the same article, sold at the matching gross price
    included = quote_of([PricedLine("A", 1, gross, tax_rate=rate)], [], included=True)
    assert included.total == gross
    assert abs(included.tax.amount - added.tax.amount) <= Decimal("0.01")


@settings(max_examples=150, deadline=None)
@given(
    lines=baskets(),
    promotions=promotion_sets,
    included=st.booleans(),
    shipping=amounts.map(lambda a: Money(a, "EUR")),
    rate=rates,
)
def test_shipping_adds_its_charge_and_tax_and_leaves_the_goods_alone(
    lines, promotions, included, shipping, rate
):
    goods = quote_of(lines, promotions, included=included)
    quote = calculate(
        currency="EUR",
        lines=lines,
        rules=promotions,
        prices_include_tax=included,
        shipping=shipping,
        shipping_tax_rate=rate,
    )
    assert (quote.lines, quote.subtotal, quote.discount_total) == (
        goods.lines,
        goods.subtotal,
        goods.discount_total,
    )
    assert quote.shipping.amount == shipping
    assert quote.tax == goods.tax + quote.shipping.tax
    on_top = Money.zero("EUR") if included else quote.shipping.tax
    assert quote.total == goods.total + shipping + on_top
    assert (
        abs(
            quote.shipping.tax.amount
            - (shipping * (rate / (1 + rate) if included else rate)).amount
        )
        <= HALF_CENT
    )
    # So adding the charge to the goods' quote is quoting with it (checkout's one quote).
    assert add_shipping(goods, shipping=shipping, tax_rate=rate) == quote
