"""Runnable examples of using the Commerce API (docs/api.md)."""
