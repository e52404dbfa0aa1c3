"""What the idempotent upserts share: write a row only when something differs."""

from __future__ import annotations

from typing import Any

from django.db import models


def save_if_changed(row: models.Model, wanted: dict[str, Any]) -> bool:
    """Give ``row`` the ``wanted`` field values and save it, validated; False if it had them.

    A new row is always saved; so re-running an import writes nothing for
    the rows it already holds.
    """
    if row.pk is not None and all(getattr(row, name) == value for name, value in wanted.items()):
        return False
    for name, value in wanted.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return True
