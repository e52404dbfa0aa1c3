"""Recommendations bounded context.

Products to suggest next to a product or a basket.
"""
