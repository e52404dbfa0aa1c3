"""What operator commands share in reading their arguments."""

from __future__ import annotations

import argparse
from datetime import datetime

from django.utils import timezone


def moment(value: str) -> datetime:
    """An ``argparse`` type: an ISO 8601 time, aware (without an offset: in ``TIME_ZONE``).

    ``--since 2026-05-01T08:00:00+00:00``; refused with the option's name
    by the command's parser, before the command does anything.
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO 8601 time") from exc
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
