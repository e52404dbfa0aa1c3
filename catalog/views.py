"""Catalog's storefront pages."""
