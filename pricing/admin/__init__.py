"""Staff admin for pricing's own models, one module per part of the job.

Every save that matters goes through services, so price history is written
and events are published. `prices` holds prices, price lists, tax and
placements; `offers` promotions, vouchers, experiments and demand.
"""

from pricing.admin import offers, prices  # noqa: F401 - each module registers its admins
