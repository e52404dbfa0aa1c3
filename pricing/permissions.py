"""The "Pricing manager" staff group: every permission of pricing, nothing else.

Used by data migrations: the one that creates the group, and every later one
that adds a pricing model (its permissions must be granted too; a test
fails otherwise).
"""

from kernel.roles import app_permissions, staff_group

PRICING_MANAGER = "Pricing manager"


def grant_pricing_permissions(apps, schema_editor) -> None:
    """Give the group every pricing permission (creating both if need be)."""
    staff_group(apps, PRICING_MANAGER).permissions.add(*app_permissions(apps, "pricing"))
