"""Idempotent subscribers of this context to other contexts' events (none yet).

Imported in AppConfig.ready so every process registers the same subscribers.
"""
