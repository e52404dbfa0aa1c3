"""Catalog's REST endpoints, mounted under /api/v1/."""
