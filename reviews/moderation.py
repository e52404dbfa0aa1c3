"""The moderation rule: which new or edited review is published at once.

    verified purchase  and  rule.auto_publish_verified  and  no flagged word
        -> published at once
    anything else
        -> pending, until a moderator approves or rejects it

Staff switch the rule and edit the flagged words in the admin
(``ModerationRule``, one row). Words are matched case-insensitively as
whole words, so "ass" flags "ass" but not "glass". A published review that
``reports_to_unpublish`` shoppers reported goes back to pending (services).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reviews.dtos import ReviewStatus
from reviews.models import ModerationRule


def flagged_words_in(texts: Iterable[str], words: list[str]) -> list[str]:
    """The flagged ``words`` (or phrases) found in ``texts``, in the rule's order."""
    text = "\n".join(texts).lower()
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def initial_status(*, rule: ModerationRule, verified: bool, texts: Iterable[str]) -> ReviewStatus:
    if rule.auto_publish_verified and verified and not flagged_words_in(texts, rule.words):
        return ReviewStatus.PUBLISHED
    return ReviewStatus.PENDING
