"""Catalog bounded context.

Product information: products, categories, and what shoppers browse.
Prices belong to pricing, stock to inventory.
"""
