"""Finding words a shopper would read in a template that no translation tag wraps.

A template is read with Django's own lexer: text inside ``{% translate %}``,
``{% blocktranslate %}`` and ``{% comment %}`` is accounted for, every
other tag and variable becomes a placeholder, and what is left is parsed
as HTML. A word (two letters or more) in the text between elements, or in
an attribute a shopper meets (``alt``, ``title``, ``placeholder``,
``aria-label``, ``data-label``), is untranslated. So is a ``default:``
filter argument with words in it (``{{ x|default:"None yet" }}``; wrap it
as ``default:_("None yet")``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

#: Templates a shopper sees, relative to the repository root; admin and
#: back-office templates stay English (docs/decisions/0011-shopper-language-in-the-url.md).
SHOPPER_TEMPLATE_DIRS = (
    "templates",
    "storefront/templates/storefront",
    "orders/templates/orders",
    "accounts/templates/accounts",
    "reviews/templates/reviews",
)
#: Under SHOPPER_TEMPLATE_DIRS but not for shoppers: the API's Swagger page.
NOT_FOR_SHOPPERS = ("templates/api/",)
#: Words that are the same in every language: the shop's name.
SAME_IN_EVERY_LANGUAGE = {"Commerce"}
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "data-label"}

_WORD = re.compile(r"[^\W\d_]{2,}")
_ENTITY = re.compile(r"&[a-zA-Z]+;")
_UNWRAPPED_DEFAULT = re.compile(r"\|\s*default(?:_if_none)?:\s*(\"[^\"]*\"|'[^']*')")
_PLACEHOLDER = "\x00"
_OPENS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
_OPENS["comment"] = "endcomment"


def shopper_templates(root: Path) -> list[Path]:
    found = []
    for directory in SHOPPER_TEMPLATE_DIRS:
        for path in sorted((root / directory).rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.suffix in {".html", ".txt"} and not relative.startswith(NOT_FOR_SHOPPERS):
                found.append(path)
    return found


def _words(text: str) -> list[str]:
    return [
        word for word in _WORD.findall(_ENTITY.sub(" ", text)) if word not in SAME_IN_EVERY_LANGUAGE
    ]


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.words += _words(value)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.words += _words(data)


def untranslated_words(source: str) -> list[str]:
    """The words of ``source`` (a template) that no translation tag wraps."""
    skeleton, closing, words = [], None, []
    for token in Lexer(source).tokenize():
        if closing is not None:  # inside a block translation or a comment
            if token.token_type is TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type is TokenType.TEXT:
            skeleton.append(token.contents)
            continue
        if token.token_type is TokenType.VAR:
            words += [
                word
                for literal in _UNWRAPPED_DEFAULT.findall(token.contents)
                for word in _words(literal)
            ]
        elif token.token_type is TokenType.BLOCK:
            closing = _OPENS.get(token.contents.split()[0])
        skeleton.append(_PLACEHOLDER)
    parser = _VisibleText()
    parser.feed("".join(skeleton))
    parser.close()
    return words + parser.words
