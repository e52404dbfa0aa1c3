"""Celery tasks of reviews: thin, taking ids, calling services."""
