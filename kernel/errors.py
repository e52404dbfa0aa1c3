"""The base of every context's typed refusals, and how REST answers them.

A context raises its own errors (``CartError``, ``VoucherRejected``,
``InsufficientStock``, ...), each a ``DomainError``: a refusal by the
context's rules, in words fit for the person who asked. The REST layer
answers all of them in one place (``kernel.rest.exception_handler``), so a
view calls the use case and nothing else:

- ``http_status``: 400 unless the error says otherwise (404 for a thing
  that is not there, 409 for a conflict with the current state);
- the body, ``http_body()``: ``{field: [message]}`` when the error names
  the input ``field`` it is about, else ``{"detail": message}``. An error
  with more to say (the shortages, the new total) adds it there.

Plain Python, so a context's ``dtos`` module, which imports no Django,
can subclass it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal by a context's rules; ``field``: the input it is about, if any."""

    http_status: int = 400
    field: str | None = None

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        if field is not None:
            self.field = field

    def http_body(self) -> dict[str, object]:
        message = str(self)
        return {"detail": message} if self.field is None else {self.field: [message]}
