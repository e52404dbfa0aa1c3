"""Fail fast, and legibly, when the environment is misconfigured."""

import sys

from django.conf import settings

from commerce.config import ConfigurationError


def exit_on_bad_configuration() -> None:
    """Load settings now; on a bad variable print one line naming it and exit.

    Without this, Django loads settings lazily and a malformed variable
    surfaces as a long traceback in the first request or command.
    """
    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ConfigurationError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(2)


def __getattr__(name: str):
    """``checked_settings``: Django's settings once they loaded, else the exit above.

    What Celery's app reads its configuration from (``commerce/celery.py``): Celery
    loads it lazily, on first use, which is inside its command line's option parsing.
    """
    if name == "checked_settings":
        exit_on_bad_configuration()
        return settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
