"""Pricing bounded context.

Every number a shopper pays: prices per SKU and currency, and the quotes other
contexts ask for.
"""
