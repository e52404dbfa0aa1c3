"""Celery tasks of catalog: thin, taking ids, calling services."""
