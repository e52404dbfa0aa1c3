"""The README's context map draws the calls and the events the code has, no more, no fewer.

Solid arrows (``a --> b & c``) are calls: a module of ``a`` outside its tests
imports ``b``'s ``api``. Dotted arrows (``a -. label .-> b``) are events: a
subscriber of ``b`` takes an event class defined in ``a.events``. The
project (``commerce``) mounts every app's URLs and calls no ``api``; its
place in the layers is drawn with invisible links (``~~~``), not checked here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from kernel import subscribers

ROOT = Path(__file__).resolve().parent.parent
BOXES = (
    "commerce",
    "storefront",
    "demo",
    "backoffice",
    "orders",
    "reviews",
    "recommendations",
    "pricing",
    "inventory",
    "catalog",
    "accounts",
    "kernel",
)
_MERMAID = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)
_CALL = re.compile(r"^\s*([\w ]+?&?[\w &]*?)\s*-->\s*([\w &]+)$")
_EVENT = re.compile(r"^\s*([\w &]+?)\s*-\.\s.*?\s\.->\s*([\w &]+)$")


def drawn(kind: re.Pattern) -> set[tuple[str, str]]:
    block = _MERMAID.search((ROOT / "README.md").read_text()).group(1)
    arrows = set()
    for line in block.splitlines():
        match = kind.match(line)
        if match:
            sources, targets = (part.split("&") for part in match.groups())
            arrows |= {(a.strip(), b.strip()) for a in sources for b in targets}
    return arrows


def _imported_apis(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.endswith(".api") or any(alias.name == "api" for alias in node.names):
                found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names if a.name.endswith(".api")}
    return found


def calls_in_the_code() -> set[tuple[str, str]]:
    calls = set()
    for box in BOXES:
        for path in (ROOT / box).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            calls |= {(box, used) for used in _imported_apis(path) if used in BOXES}
    return {(caller, callee) for caller, callee in calls if caller != callee}


def events_in_the_code() -> set[tuple[str, str]]:
    flows = set()
    for name in subscribers.subscriber_names():
        subscriber = subscribers.get_subscriber(name)
        publisher = subscriber.event_class.__module__.split(".")[0]
        flows.add((publisher, name.split(".")[0]))
    return {(source, sink) for source, sink in flows if source != sink and sink in BOXES}


def test_the_solid_arrows_are_the_calls_the_code_makes():
    assert drawn(_CALL) == calls_in_the_code()


def test_the_dotted_arrows_are_the_events_subscribers_take():
    assert drawn(_EVENT) == events_in_the_code()


def test_the_parsers_read_both_kinds_of_arrow():
    assert ("storefront", "catalog") in drawn(_CALL)
    assert ("reviews", "storefront") in drawn(_EVENT)
    assert ("orders", "reviews") not in drawn(_CALL)  # an event only
