"""Pricing's storefront pages."""
