"""Celery tasks of accounts: thin, calling services."""

from celery import shared_task

from accounts import app_tokens


@shared_task(name="accounts.tasks.purge_expired_app_tokens")
def purge_expired_app_tokens() -> int:
    return app_tokens.purge_expired()
