"""Read queries of pricing. Each is a fixed number of queries whatever the number of SKUs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from kernel.money import Money
from pricing import cache
from pricing.dtos import UnitPrice
from pricing.models import (
    DEFAULT_TAX_CLASS,
    CurrencyTaxMode,
    Price,
    PriceList,
    PriceListEntry,
    Promotion,
    PromotionTarget,
    SkuPlacement,
    SkuTaxClass,
    TaxRate,
    Voucher,
    VoucherRedemption,
)


def _within(prefix: str, start: str, end: str, at: datetime) -> Q:
    """Rows whose [start, end) window (either end open) contains ``at``."""
    return (Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": at})) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": at})
    )


@dataclass(frozen=True, slots=True)
class ListPrice:
    """A switched-on price list's price for a SKU, with what decides whether it applies to
    a shopper at a moment: the list's group and window (checked on every read, as
    promotions' windows are, so a list starts and ends on time without a change)."""

    group: str
    list_name: str
    amount: Decimal
    valid_from: datetime | None
    valid_until: datetime | None

    def applies(self, groups: Collection[str], at: datetime) -> bool:
        return (
            self.group in groups
            and (self.valid_from is None or self.valid_from <= at)
            and (self.valid_until is None or self.valid_until > at)
        )


def _list_prices(*, skus: Collection[str], currency: str) -> dict[str, tuple[ListPrice, ...]]:
    """Every switched-on list's prices of ``skus`` in ``currency``, whatever the group
    (cached per SKU, cache.py); one query for the SKUs not cached."""

    def load(missing: list[str]) -> dict[str, tuple[ListPrice, ...]]:
        found: dict[str, list[ListPrice]] = {sku: [] for sku in missing}
        entries = PriceListEntry.objects.filter(
            sku__in=missing, currency=currency, price_list__is_active=True
        ).select_related("price_list")
        for entry in entries:
            listed = entry.price_list
            found[entry.sku].append(
                ListPrice(
                    listed.customer_group,
                    listed.name,
                    entry.amount,
                    listed.valid_from,
                    listed.valid_until,
                )
            )
        return {sku: tuple(prices) for sku, prices in found.items()}  # none is cached too

    return cache.list_prices(skus=skus, currency=currency, load=load)


def next_price_list_edge(*, groups: Collection[str], after: datetime) -> datetime | None:
    """The first start or end of the window of a switched-on list of ``groups`` after
    ``after`` (cached, cache.py)."""
    windows = cache.price_list_windows(
        lambda: list(
            PriceList.objects.filter(is_active=True)
            .exclude(valid_from=None, valid_until=None)
            .values_list("customer_group", "valid_from", "valid_until")
        )
    )
    edges = (
        edge
        for group, *window in windows
        if group in groups
        for edge in window
        if edge is not None and edge > after
    )
    return min(edges, default=None)


def unit_prices(
    *, skus: Collection[str], currency: str, groups: Collection[str] = (), at: datetime
) -> dict[str, UnitPrice]:
    """Base prices, lowered by the customer's groups' price lists valid at ``at``.

    One query for base prices, one more for price lists if the customer is
    in a group (none when cached, cache.py). A group price replaces the
    base price only when it is lower, and then the base price (or its
    compare-at) becomes the "was" price.
    """
    base = cache.base_prices(
        skus=skus,
        currency=currency,
        load=lambda missing: {
            p.sku: p for p in Price.objects.filter(sku__in=missing, currency=currency)
        },
    )
    best: dict[str, ListPrice] = {}
    if groups:
        for sku, offers in _list_prices(skus=skus, currency=currency).items():
            applying = [offer for offer in offers if offer.applies(groups, at)]
            if applying:
                best[sku] = min(applying, key=lambda offer: (offer.amount, offer.list_name))

    result = {}
    for sku in base.keys() | best.keys():
        price, entry = base.get(sku), best.get(sku)
        if entry and (price is None or entry.amount < price.amount):
            was = (price.compare_at or price.money) if price else None
            result[sku] = UnitPrice(
                sku=sku,
                price=Money(entry.amount, currency).rounded(),
                compare_at=was,
                price_list=entry.list_name,
            )
        else:
            result[sku] = UnitPrice(sku=sku, price=price.money, compare_at=price.compare_at)
    return result


@dataclass(frozen=True, slots=True)
class TaxBook:
    """Every tax rate by (country, tax class) and every currency's tax mode.

    Two small tables, read whole and cached together (cache.py): a quote
    reads them once for the mode, the goods' rates and shipping's rate.
    """

    rates: dict[tuple[str, str], Decimal]
    modes: dict[str, bool]

    def includes_tax(self, currency: str) -> bool:
        """Whether prices in ``currency`` include tax (they do unless staff said otherwise)."""
        return self.modes.get(currency, True)

    def shipping_rate(self, country: str | None) -> Decimal:
        """The rate shipping is taxed at in ``country``: its standard rate (0 without one).

        The EU taxes shipping like the main goods it carries; the standard
        class is the simplification we make (docs/pricing.md, "Tax").
        """
        return self.rates.get(((country or "").upper(), DEFAULT_TAX_CLASS), Decimal(0))


def tax_book() -> TaxBook:
    """Two queries on a miss, none while cached or already read in this request."""
    return cache.tax_book(
        lambda: TaxBook(
            rates={
                (country, tax_class): rate
                for country, tax_class, rate in TaxRate.objects.values_list(
                    "country", "tax_class", "rate"
                )
            },
            modes=dict(CurrencyTaxMode.objects.values_list("currency", "prices_include_tax")),
        )
    )


def tax_rates(*, skus: Collection[str], country: str | None, book: TaxBook) -> dict[str, Decimal]:
    """The tax rate of each SKU in ``country``.

    A SKU whose class has no rate in the country is taxed at the country's
    standard rate (never under-collect); a country without any rate is
    taxed at 0 (and shows no tax). The SKUs' classes: one query for those
    not cached.
    """
    if not country:
        return dict.fromkeys(skus, Decimal(0))
    classes = cache.per_sku(
        cache.TAXES,
        skus=skus,
        load=lambda missing: dict(
            SkuTaxClass.objects.filter(sku__in=missing).values_list("sku", "tax_class")
        ),
    )
    country = country.upper()
    standard = book.shipping_rate(country)
    return {
        sku: book.rates.get((country, classes.get(sku, DEFAULT_TAX_CLASS)), standard)
        for sku in skus
    }


def placements(*, skus: Collection[str]) -> dict[str, SkuPlacement]:
    """Where each SKU sits in the catalog (pricing's copy); one query for those not cached."""
    return cache.per_sku(
        cache.PLACEMENTS,
        skus=skus,
        load=lambda missing: {p.sku: p for p in SkuPlacement.objects.filter(sku__in=missing)},
    )


def _active() -> list[Promotion]:
    """Every switched-on promotion with its targets and tiers, cached (cache.py).

    Three queries on a miss (promotions, their targets, their tiers).
    """
    return cache.promotions(
        lambda: list(
            Promotion.objects.filter(is_active=True)
            .order_by("-priority", "slug")
            .prefetch_related(
                Prefetch("targets", queryset=PromotionTarget.objects.order_by("kind", "value")),
                "tiers",
            )
        )
    )


def _running(promotion: Promotion, at: datetime) -> bool:
    """Whether ``at`` falls in the promotion's [starts_at, ends_at) window (either end open)."""
    return (promotion.starts_at is None or promotion.starts_at <= at) and (
        promotion.ends_at is None or promotion.ends_at > at
    )


def active_promotions(*, at: datetime, unlocked: Collection[int] = ()) -> list[Promotion]:
    """Promotions running at ``at``: the open ones and the voucher-gated ones in ``unlocked``."""
    return [
        p for p in _active() if _running(p, at) and (not p.requires_voucher or p.pk in unlocked)
    ]


def next_promotion_edge(*, after: datetime) -> datetime | None:
    """The first start or end of a switched-on promotion's window after ``after`` (cached)."""
    edges = (edge for p in _active() for edge in (p.starts_at, p.ends_at) if edge is not None)
    return min((edge for edge in edges if edge > after), default=None)


def open_promotions(*, at: datetime, limit: int, currency: str | None = None) -> list[Promotion]:
    """Running promotions any shopper gets without a voucher, highest priority first; with
    ``currency``, none of a fixed amount in another currency (it would not apply)."""
    return [
        p
        for p in _active()
        if _running(p, at)
        and not p.requires_voucher
        and (currency is None or not p.currency or p.currency == currency)
    ][:limit]


def vouchers_by_code(*, codes: Collection[str]) -> dict[str, Voucher]:
    return {v.code: v for v in Voucher.objects.filter(code__in=codes).select_related("promotion")}


def redemptions_by_customer(*, voucher_ids: Collection[int], customer_id: int) -> dict[int, int]:
    """How many unreleased uses of each voucher ``customer_id`` has."""
    rows = (
        VoucherRedemption.objects.filter(
            voucher_id__in=voucher_ids, customer_id=customer_id, released_at__isnull=True
        )
        .values("voucher_id")
        .annotate(uses=Count("id"))
    )
    return {row["voucher_id"]: row["uses"] for row in rows}


def base_prices(*, skus: Collection[str]) -> list[UnitPrice]:
    """The base prices (and compare-at prices) of ``skus`` in every currency, one query.

    What staff set, before price lists, promotions and experiments; ordered
    by SKU and currency.
    """
    return [
        UnitPrice(sku=price.sku, price=price.money, compare_at=price.compare_at)
        for price in Price.objects.filter(sku__in=skus).order_by("sku", "currency")
    ]
