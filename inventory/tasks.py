"""Celery tasks of inventory: thin, taking ids, calling services."""
