"""Reviews's storefront pages."""
