"""Every word a shopper reads is translatable, and the German catalogue has them all.

Two checks, each of which fails when someone adds English without German:

- no shopper-facing template has a word outside a translation tag
  (``tests/translations.py`` says exactly what counts);
- the catalogue ``scripts/messages`` makes from the code *now* (in a copy of
  the repository) has a German translation for every msgid, none fuzzy,
  and the committed ``.mo`` is that catalogue compiled.

The second needs GNU gettext (``.ci/run`` installs it): missing, the test
is skipped, and fails under ``REQUIRE_SERVICES=1`` as ``make test`` runs it,
like the browser tests without Chromium.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from orders.models import OrderStatus
from tests.translations import shopper_templates, untranslated_words

ROOT = Path(settings.BASE_DIR)
CATALOGUE = Path("locale/de/LC_MESSAGES")


def test_no_shopper_template_has_an_untranslated_word():
    templates = shopper_templates(ROOT)
    assert len(templates) > 40  # the directories exist and hold the shop's pages
    found = {
        path.relative_to(ROOT).as_posix(): words
        for path in templates
        if (words := untranslated_words(path.read_text()))
    }
    assert found == {}


def test_the_template_check_finds_text_outside_translation_tags():
    source = (
        '{% if x %}<p title="Hello there">Buy now {% translate "Fine" %}</p>{% endif %}'
        '<img alt="A mug" src="mug.png">{{ note|default:"None yet" }}{{ y|default:_("Fine") }}'
    )
    assert untranslated_words(source) == ["None", "yet", "Hello", "there", "Buy", "now", "mug"]


def test_the_template_check_accepts_translated_commented_and_non_text_parts():
    source = (
        "{% blocktranslate %}Buy {{ count }} now{% endblocktranslate %}"
        "{% comment %}A note for developers{% endcomment %}"
        '<a class="button big" href="{% url "storefront:home" %}">Commerce</a> &rarr; 12 · ★'
    )
    assert untranslated_words(source) == []


def _require_gettext() -> None:
    if shutil.which("msgfmt") and shutil.which("xgettext"):
        return
    missing = "GNU gettext is not installed (`apt-get install gettext`)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{missing}; REQUIRE_SERVICES=1 runs every catalogue check")
    pytest.skip(missing)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """The German catalogue as ``scripts/messages`` makes it from a copy of the code now."""
    _require_gettext()
    copy = tmp_path_factory.mktemp("catalogue") / "repository"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "media", "staticfiles", "db.sqlite3*", "artifacts"
        ),
    )
    subprocess.run(
        ["scripts/messages"],
        cwd=copy,
        env={**os.environ, "PYTHON": sys.executable},
        check=True,
        capture_output=True,
    )
    return copy / CATALOGUE


def _entries(po: Path, *filters: str) -> str:
    """The entries of ``po`` that ``msgattrib`` keeps with ``filters`` (empty: none)."""
    return subprocess.run(
        ["msgattrib", *filters, str(po)], check=True, capture_output=True, text=True
    ).stdout


def test_every_msgid_of_the_code_has_a_german_translation(regenerated):
    po = regenerated / "django.po"
    assert "msgid" in _entries(po, "--translated")  # the catalogue is not empty
    assert _entries(po, "--untranslated") == ""
    assert _entries(po, "--only-fuzzy") == ""


def _messages(mo: Path) -> dict:
    with mo.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    return {key: value for key, value in catalog.items() if key != ""}  # "": the header


def test_the_committed_catalogue_is_the_one_the_code_makes(regenerated):
    committed = _messages(ROOT / CATALOGUE / "django.mo")
    assert committed == _messages(regenerated / "django.mo")
    assert committed["Add to cart"] == "In den Warenkorb"


def test_an_orders_status_reads_in_the_language_of_the_page():
    with translation.override("de"):
        assert str(OrderStatus.PAID.label) == "Bezahlt"
    assert str(OrderStatus.PAID.label) == "Paid"
