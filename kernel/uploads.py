"""Reading a text file staff upload (CSV, JSON Lines), so that nothing a file holds is a 500.

Python's ``csv`` module raises ``csv.Error`` on a cell longer than its field
limit (128 KiB) and on a malformed file; it reads a NUL character as text,
which PostgreSQL then refuses to store or even compare (a ``DataError`` in
the first query naming it). Each import reports such a file as one bad row,
the row where its reading stopped, like any other problem of its rows. A
JSON line may also escape a NUL (``\\u0000``) or half of a surrogate pair
(``\\ud800``, text no database encodes): `unstorable_text` names it, as the
API's JSON parser does for a body (kernel.parsers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

NOT_UTF8 = "The file is not UTF-8 text (save it as CSV UTF-8)."
NUL_IN_FILE = "A NUL character: this is not a text file (save it as CSV UTF-8)."
NOT_UNICODE = "Text that is not Unicode (half of a surrogate pair)."


class UnreadableFile(Exception):
    """The file cannot be read past ``row`` (numbered as the import numbers its rows)."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row, self.reason = row, reason


def upload_text(raw: bytes) -> str:
    """The file's UTF-8 text without its byte-order mark; ``UnreadableFile`` otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(1, NOT_UTF8) from None
    if (at := text.find("\x00")) >= 0:
        raise UnreadableFile(text.count("\n", 0, at) + 1, NUL_IN_FILE)
    return text


def csv_rows(text: str | Iterable[str]) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header (names stripped, lower-case) and the rows by it, numbered from 2 as a
    spreadsheet shows them; reading a row the ``csv`` module refuses, or one holding a
    NUL character, raises ``UnreadableFile`` with its number. ``text``: the whole file,
    or its lines as they are read (a file opened with ``newline=""``).

    A header naming a column twice ("sku" and "SKU " are one name here) is refused as
    row 1: a row is read by name, so only the last of the two cells would count, and
    which one the staff meant no reader can tell. Blank names (the empty columns a
    spreadsheet exports after the last one) are never read, so they may repeat."""
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.DictReader(lines)
    with _unreadable_at(1):
        header = [name.strip().lower() for name in reader.fieldnames or []]
    seen: set[str] = set()
    for name in filter(None, header):
        if name in seen:
            raise UnreadableFile(1, f"The column {name!r} is named twice in the header row.")
        seen.add(name)
    reader.fieldnames = header
    return header, _numbered(reader)


def _numbered(reader: csv.DictReader) -> Iterator[tuple[int, dict]]:
    number = 2
    while True:
        with _unreadable_at(number):
            row = next(reader, None)
        if row is None:
            return
        if any("\x00" in value for value in row.values() if isinstance(value, str)):
            raise UnreadableFile(number, NUL_IN_FILE)
        yield number, row
        number += 1


@contextmanager
def _unreadable_at(row: int) -> Iterator[None]:
    try:
        yield
    except csv.Error as refused:
        limit = csv.field_size_limit()
        reason = (
            f"A cell is longer than {limit} characters."
            if "field limit" in str(refused)
            else f"Not readable as CSV: {refused}."
        )
        raise UnreadableFile(row, reason) from None


def unstorable_text(data: object) -> str:
    """Why a decoded JSON value holds text no database stores (a NUL character, half of
    a surrogate pair), in a key or a value at any depth; '' when it holds none."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return NUL_IN_FILE
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return NOT_UNICODE
    return ""
