"""The Commerce project: settings, root URLs, the Celery app and configuration parsing."""

from commerce.celery import app as celery_app

__all__ = ["celery_app"]
