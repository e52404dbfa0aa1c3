"""Text as people see it: what a typed value shows, without the characters nobody sees."""

from __future__ import annotations

import unicodedata

#: Unicode's control (Cc) and format (Cf) characters: zero-width spaces and joiners, the
#: byte-order mark, soft hyphens, bidirectional overrides. None of them shows on a page.
_UNSEEN = ("Cc", "Cf")


def _unseen(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in _UNSEEN


def trimmed(text: str) -> str:
    """``text`` without whitespace and unseen characters at its ends.

    ``str.strip`` keeps a zero-width space or a byte-order mark pasted with a
    value, so a value of nothing but those passed every "required" check, and
    showed as nothing (an address's name, a review's title). Inside a value they
    stay: a joiner there binds an emoji sequence or a script's letters.
    """
    start, end = 0, len(text)
    while start < end and _unseen(text[start]):
        start += 1
    while end > start and _unseen(text[end - 1]):
        end -= 1
    return text[start:end]
