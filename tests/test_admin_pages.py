"""Every admin page a superuser can open shows money as money and lists as text.

The sweep renders each registered model's changelist and the change page of
its first object in a small but complete shop (tests/shop.py), and fails on
anything that betrays the storage under the page: Decimal reprs, JSON
lists, and amounts with more decimals than a currency has.
"""

from __future__ import annotations

import re

from django.contrib import admin
from django.urls import reverse

#: Text a shop manager should never see: reprs and JSON of empty or string lists.
LEAKS = re.compile(r"Decimal\(|\[\]|\[&quot;|\[\"|\['|Discount:\s*\S*\s*[-\u2212]")
#: An amount with three or more decimals (none of the shop's currencies has three).
LONG_AMOUNT = re.compile(r"(?<![\w.:/-])\d{1,3}(?:,\d{3})*\.\d{3,}(?![\w.-])")


def _visible_text(html: str) -> str:
    """What a manager reads: the text, and the values in the form fields."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<input\b[^>]*?\bvalue=\"([^\"]*)\"[^>]*>", r" \1 ", html)
    return re.sub(r"<[^>]*>", " ", html)


def _pages():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        yield model, model_admin, f"admin:{opts.app_label}_{opts.model_name}"


def test_every_admin_page_shows_money_as_money_and_lists_as_text(shop, superuser_client):
    checked = 0
    problems = []
    for model, _model_admin, prefix in _pages():
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for url in (reverse(f"{prefix}_changelist"), reverse(f"{prefix}_change", args=[obj.pk])):
            response = superuser_client.get(url)
            assert response.status_code == 200, url
            text = _visible_text(response.content.decode())
            found = LEAKS.findall(text) + LONG_AMOUNT.findall(text)
            if found:
                problems.append((url, sorted(set(found))))
            checked += 1
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems)
    assert checked >= 40
