"""The file a management command writes, opened so that failing to open it is a CommandError.

An export to a directory that does not exist (or a read-only one, a full
disk) used to end in a ``FileNotFoundError`` traceback; the imports already
answered a file they cannot read with one line (``cannot read PATH: ...``),
and the exports now answer the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

from django.core.management.base import CommandError


@contextmanager
def written(path: str | Path) -> Iterator[TextIO]:
    """``path`` open for writing text (UTF-8, newlines as written), or a CommandError."""
    with ExitStack() as stack:
        try:
            out = stack.enter_context(Path(path).open("w", newline="", encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
        yield out
