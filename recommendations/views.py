"""Recommendations's storefront pages."""
