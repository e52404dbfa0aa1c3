"""A text input's published shape: name, label, length limit, whether it is required,
and what a browser may fill it with.

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
    """One text input. ``required``: whatever else is typed, this must not be blank.
    ``autofill``: the HTML autofill name a browser fills it with (``postal-code``), so a
    phone offers what the shopper saved instead of a field typed with a thumb."""

    name: str
    label: str
    max_length: int
    required: bool = False
    autofill: str = ""


#: A SKU as every context writes one: an ASCII letter or digit, then up to 63 more of them,
#: ".", "_" or "-". No "/" or spaces: a SKU is a URL path segment (/api/v1/products/<sku>/),
#: and a list of them in a query string never needs percent-encoding.
SKU = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
