"""Pricing's cached reads: the base price book, promotions and experiment definitions.

What is cached is the same for every shopper, the *inputs* of pricing's
rules, never a shopper's price: each request still applies price lists,
experiment assignment and promotions to them (quoting.py), so caching
cannot hand one shopper's price to another. Each lives under a generation
(kernel.caching), forgotten when pricing commits a change of it, where it
publishes the change's event:

- base prices per currency and SKU (``pricing:prices``): ``price_changed``
  (a price saved, set or imported);
- the active promotions with their targets and tiers
  (``pricing:promotions``): ``promotion_changed`` (saved, announced,
  deleted); their time windows are checked on every read, so a promotion
  starts and ends on time without a change;
- running experiments with their variants (``pricing:experiments``):
  written only by services/experiments.py and the experiment admin, which
  forget it (experiments have no event);
- the tax book (every rate and every currency's tax mode, two small
  tables) and each SKU's tax class (``pricing:taxes``): written only by
  services/tax.py and the tax admins, which forget it;
- where each SKU sits in the catalog (``pricing:placements``), pricing's
  copy kept from catalog events by services/placements.py, which forgets it.

- every switched-on customer-group price list's prices per currency and SKU,
  and the lists' windows (``pricing:price_lists``), forgotten with the base
  prices (services/price_lists.py, the price import, the price list admin);
  only a customer in a group reads them, and each read checks the list's
  group and window, so a list starts and ends on time without a change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from kernel import caching

PRICES = "pricing:prices"
PROMOTIONS = "pricing:promotions"
EXPERIMENTS = "pricing:experiments"
TAXES = "pricing:taxes"
PLACEMENTS = "pricing:placements"
PRICE_LISTS = "pricing:price_lists"
TTL_SECONDS = 3600


def base_prices(*, skus: Collection[str], currency: str, load: Callable[[list[str]], dict]) -> dict:
    """``load(missing SKUs)`` -> {sku: price} for the SKUs not cached; absent SKUs stay absent."""
    return _per_currency_and_sku(PRICES, skus=skus, currency=currency, load=load)


def list_prices(*, skus: Collection[str], currency: str, load: Callable[[list[str]], dict]) -> dict:
    """``load(missing SKUs)`` -> {sku: the lists' prices} for the SKUs not cached."""
    return _per_currency_and_sku(PRICE_LISTS, skus=skus, currency=currency, load=load)


def _per_currency_and_sku(
    name: str, *, skus: Collection[str], currency: str, load: Callable[[list[str]], dict]
) -> dict:
    found = caching.cached_many(
        keys=[(currency, sku) for sku in skus],
        name_of=lambda _key: name,
        load=lambda keys: {
            (currency, sku): value for sku, value in load([sku for _, sku in keys]).items()
        },
        ttl=TTL_SECONDS,
    )
    return {sku: value for (_, sku), value in found.items()}


def price_list_windows(load: Callable[[], list]) -> list:
    return caching.cached(name=PRICE_LISTS, key="windows", load=load, ttl=TTL_SECONDS)


def per_sku(name: str, *, skus: Collection[str], load: Callable[[list[str]], dict]) -> dict:
    """``load(missing SKUs)`` -> {sku: value}, cached per SKU under ``name``'s generation."""
    return caching.cached_many(
        keys=list(skus), name_of=lambda _sku: name, load=load, ttl=TTL_SECONDS
    )


def tax_book(load: Callable[[], object]):
    return caching.cached(name=TAXES, key="book", load=load, ttl=TTL_SECONDS)


def promotions(load: Callable[[], list]) -> list:
    return caching.cached(name=PROMOTIONS, key="active", load=load, ttl=TTL_SECONDS)


def experiments(load: Callable[[], list]) -> list:
    return caching.cached(name=EXPERIMENTS, key="running", load=load, ttl=TTL_SECONDS)


def prices_changed() -> None:
    """A price changed: a base price, a list's, or a list itself (its group, window, switch)."""
    caching.forget_on_commit(PRICES, PRICE_LISTS)


def promotions_changed() -> None:
    caching.forget_on_commit(PROMOTIONS)


def experiments_changed() -> None:
    caching.forget_on_commit(EXPERIMENTS)


def taxes_changed() -> None:
    caching.forget_on_commit(TAXES)


def placements_changed() -> None:
    caching.forget_on_commit(PLACEMENTS)
