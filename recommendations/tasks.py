"""Celery tasks of recommendations: thin, taking ids, calling services."""
