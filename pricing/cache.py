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

Group price lists are read fresh: they have validity windows and only
signed-in customers in a group read them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from kernel import caching

PRICES = "pricing:prices"
PROMOTIONS = "pricing:promotions"
EXPERIMENTS = "pricing:experiments"
TAXES = "pricing:taxes"
PLACEMENTS = "pricing:placements"
TTL_SECONDS = 3600


def base_prices(*, skus: Collection[str], currency: str, load: Callable[[list[str]], dict]) -> dict:
    """``load(missing SKUs)`` -> {sku: price} for the SKUs not cached; absent SKUs stay absent."""
    found = caching.cached_many(
        keys=[(currency, sku) for sku in skus],
        name_of=lambda _key: PRICES,
        load=lambda keys: {
            (currency, sku): price for sku, price in load([sku for _, sku in keys]).items()
        },
        ttl=TTL_SECONDS,
    )
    return {sku: price for (_, sku), price in found.items()}


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
    caching.forget_on_commit(PRICES)


def promotions_changed() -> None:
    caching.forget_on_commit(PROMOTIONS)


def experiments_changed() -> None:
    caching.forget_on_commit(EXPERIMENTS)


def taxes_changed() -> None:
    caching.forget_on_commit(TAXES)


def placements_changed() -> None:
    caching.forget_on_commit(PLACEMENTS)
