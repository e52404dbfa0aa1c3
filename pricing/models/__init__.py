"""Pricing's tables. Private: no other context reads them.

Prices refer to products by SKU: pricing can price a SKU the catalog does
not know yet (prices are often loaded before a launch), and the catalog can
be split out without a foreign key to cut. What pricing needs to know about
the catalog (which product and categories a SKU belongs to) it keeps in its
own `SkuPlacement` table, filled from catalog events.

The tables are grouped by sub-domain in the modules of this package; they
are all importable from here, where Django finds them.
"""

from pricing.models.experiments import (
    DemandLine,
    DemandOrder,
    Experiment,
    ExperimentExposure,
    ExperimentSale,
    ExperimentVariant,
)
from pricing.models.placements import SkuPlacement
from pricing.models.prices import Price, PriceChange, PriceList, PriceListEntry
from pricing.models.promotions import Promotion, PromotionTarget, PromotionTier
from pricing.models.tax import DEFAULT_TAX_CLASS, CurrencyTaxMode, SkuTaxClass, TaxRate
from pricing.models.vouchers import Voucher, VoucherRedemption, normalize_code

__all__ = [
    "DEFAULT_TAX_CLASS",
    "CurrencyTaxMode",
    "DemandLine",
    "DemandOrder",
    "Experiment",
    "ExperimentExposure",
    "ExperimentSale",
    "ExperimentVariant",
    "Price",
    "PriceChange",
    "PriceList",
    "PriceListEntry",
    "Promotion",
    "PromotionTarget",
    "PromotionTier",
    "SkuPlacement",
    "SkuTaxClass",
    "TaxRate",
    "Voucher",
    "VoucherRedemption",
    "normalize_code",
]
