"""Inventory bounded context.

How many units exist and where: stock levels, and the only code that changes
them.
"""
