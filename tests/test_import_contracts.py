"""Each import-linter contract really fails when its rule is broken.

A contract that passes on a clean tree proves nothing by itself; here each
one is shown a copy of the tree with one forbidden import added.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "commerce",
    "storefront",
    "backoffice",
    "demo",
    "kernel",
    "catalog",
    "pricing",
    "inventory",
    "orders",
    "reviews",
    "recommendations",
    "accounts",
]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory):
    copy = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            copy / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "migrations"),
        )
    shutil.copy(ROOT / "importlinter.ini", copy)
    return copy


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", "importlinter.ini", "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_clean_tree_keeps_every_contract(clean_copy):
    result = lint(clean_copy)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "broken_contract"),
    [
        (
            "pricing/handlers.py",
            "from catalog import models",
            "Contexts, the gateway and the demo use each other only through api, dtos and events",
        ),
        (
            "catalog/services.py",
            "from pricing import api",
            "Calls go down the layers: project > gateway and demo > orders > ... > kernel"
            " (information flowing back travels as events)",
        ),
        (
            "inventory/services/stock.py",
            "from commerce import config",
            "Calls go down the layers: project > gateway and demo > orders > ... > kernel"
            " (information flowing back travels as events)",
        ),
        (
            "kernel/relay.py",
            "import catalog.events",
            "The shared kernel imports no context, not even its events",
        ),
        ("pricing/dtos.py", "import django", "DTOs and events stay framework-free"),
        (
            "orders/checkout/services.py",
            "from recommendations import api",
            "Checkout never calls recommendations (an optional context must not be able to fail"
            " a purchase)",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    clean_copy, tmp_path, module, forbidden_import, broken_contract
):
    tree = tmp_path / "tree"
    shutil.copytree(clean_copy, tree)
    path = tree / module
    path.write_text(path.read_text() + f"\n{forbidden_import}  # noqa\n")

    result = lint(tree)

    report = " ".join(result.stdout.split())  # contract names wrap across lines
    assert result.returncode != 0
    assert f"{broken_contract} BROKEN" in report, result.stdout
    assert report.count(" BROKEN") == 1, result.stdout
