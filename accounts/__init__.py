"""Accounts bounded context.

Shopper sign-up and sign-in, the account page and the address book. Other
contexts know a customer only by ``customer_id`` and read addresses as DTOs
through ``accounts.api``.
"""
