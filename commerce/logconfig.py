"""The ``LOGGING`` setting: one console handler, JSON lines or text, every line with its request id.

Kept out of settings.py so that file stays a readable list of choices; the
choices themselves (format, level) are still read there, from the
environment (docs/operations.md).
"""

from __future__ import annotations

import logging


class AsWarning(logging.Filter):
    """Passes a record on as a WARNING without its traceback: for what Django logs as an
    ERROR but is a client's mistake, not the shop's."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


def logging_config(*, log_format: str, level: str) -> dict:
    """``log_format`` is "json" (for a log collector) or "text" (for a person)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "kernel.correlation.RequestIdFilter"},
            "as_warning": {"()": AsWarning},
        },
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(request_id)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",  # ISO 8601, UTC
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # One line per task run is noise at INFO; failures still come through.
        "loggers": {
            "celery.app.trace": {"level": "WARNING"},
            # Lockouts are warnings; axes' banner and per-login notes would be noise at INFO.
            "axes": {"level": "WARNING"},
            # A Host header the shop does not serve is the client's mistake: Django logs it
            # as an ERROR with a traceback, an alert for nothing the shop can fix.
            "django.security.DisallowedHost": {"filters": ["as_warning"]},
        },
    }
