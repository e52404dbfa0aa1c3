"""Inventory's storefront pages."""
