"""Celery tasks of pricing: thin, taking ids, calling services."""
