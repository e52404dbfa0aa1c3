"""Orders bounded context.

Carts, checkout, payments and the order lifecycle.
"""
