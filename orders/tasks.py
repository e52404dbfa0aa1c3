"""Celery tasks of orders: thin, taking ids, calling services."""
