"""No page ships more than 50 KB of JavaScript: all of the shop's scripts together stay under it."""

import re
from pathlib import Path

from django.conf import settings

BUDGET_BYTES = 50 * 1024


def test_the_shops_scripts_together_stay_under_the_budget():
    scripts = [path for root in settings.STATICFILES_DIRS for path in Path(root).rglob("*.js")]
    assert scripts  # the product page and the site script at least
    assert sum(path.stat().st_size for path in scripts) < BUDGET_BYTES


def test_templates_carry_no_inline_script_or_event_handler():
    """Scripts come from static files (a CSP without 'unsafe-inline'); JSON-LD is data."""
    base = Path(settings.BASE_DIR)
    templates = [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")]
    assert templates
    for template in templates:
        text = template.read_text()
        for tag in text.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or "application/ld+json" in opening, template
        assert not re.search(r"\son[a-z]+=", text), template
