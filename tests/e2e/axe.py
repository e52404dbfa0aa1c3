"""axe-core in the browser: the accessibility check of the journeys.

axe-core comes from the npm registry at the version package-lock.json pins
(`make test` runs `npm ci`; node_modules/ is git-ignored) and is injected
into the page under test with ``page.add_script_tag``. It runs every rule
of its default set (WCAG 2.0-2.2 A and AA, and best practices) on the
whole document; any violation fails the test with the rule, its help
text and the offending elements.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def require_axe(path: Path = AXE) -> Path:
    """The script; skipped without it, except in the run that must run everything."""
    if path.exists():
        return path
    missing = f"{path} is missing: run `npm ci` (make test does)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(missing)
    pytest.skip(missing)


def violations(page: Page) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(require_axe()))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> None:
    found = violations(page)
    assert not found, f"axe-core on {where} ({page.url}):\n{describe(found)}"
