"""A text input's published shape: name, label, length limit, whether it is required.

A context that owns a shape other contexts ask for (a postal address)
publishes it once, as a table of ``TextField`` in its ``dtos``; Django
forms (``kernel.forms.shape_form``) and DRF serializers
(``kernel.rest.shape_serializer``) are built from that table, so a limit
changes in one place. Plain Python, so a ``dtos`` module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextField:
    """One text input. ``required``: whatever else is typed, this must not be blank."""

    name: str
    label: str
    max_length: int
    required: bool = False
