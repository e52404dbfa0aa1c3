"""Checkout: from a cart to a placed order, one context's step at a time, with compensations."""
