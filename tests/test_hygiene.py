"""House rules of the tree that a review would otherwise have to remember.

- No comment or docstring cites an issue number: the reason is written out
  where the code is, since an issue tracker outlives no move of the code.
- Each setting is assigned once (once per branch of an ``if``), where its
  section defines it, so a reader finds the one place a setting gets its value.
- No SQLite database is committed (tests create theirs and .gitignore
  keeps them out).
- Every REST path ends with a slash, one convention for the whole API.
- Every public function of a context's ``api`` has a caller outside tests,
  or its docstring names the caller it waits for.
- Every refusal a context publishes (in its ``dtos``) is a ``DomainError``,
  answered by the kernel's one REST exception handler.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import io
import re
import subprocess
import tokenize
from collections import Counter
from pathlib import Path

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from kernel.errors import DomainError

ROOT = Path(__file__).resolve().parent.parent
_ISSUE = re.compile(r"\b[Ii]ssues? #?\d+|\(#\d+\)|(?<![\w&])#\d{1,3}\b(?![0-9a-fA-F])")


def tracked(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed]


def comments_and_docstrings(source: str) -> list[tuple[int, str]]:
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            found.append((token.start[0], token.string))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                found.append((getattr(node, "lineno", 1), docstring))
    return sorted(found)


def issue_citations(source: str) -> list[str]:
    if not _ISSUE.search(source):  # most files: nothing that looks like one, anywhere
        return []
    return [
        f"{line}: {text.strip()[:80]}"
        for line, text in comments_and_docstrings(source)
        if _ISSUE.search(text) and "noqa" not in text
    ]


def test_no_comment_or_docstring_cites_an_issue_number():
    cited = {}
    for path in tracked("*.py"):
        found = issue_citations(path.read_text())
        if found:
            cited[str(path.relative_to(ROOT))] = found
    assert cited == {}


def test_the_check_finds_a_cited_issue_and_not_a_colour_or_a_count():
    source = '"""Fixed for issue #18."""\n\ncolour = "#fff"  # see (#12)\nx = 1  # the 2nd of 3\n'
    assert issue_citations(source) == ["1: Fixed for issue #18.", "3: # see (#12)"]


def assignments(body: list[ast.stmt]) -> Counter:
    """Upper-case names assigned at the top level; an ``if``'s branches count as one."""
    counted = Counter()
    for node in body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            counted.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
        elif isinstance(node, ast.If):
            branches = assignments(node.body) | assignments(node.orelse)
            counted.update(branches)
    return counted


def test_each_setting_is_assigned_once():
    counted = assignments(ast.parse((ROOT / "commerce" / "settings.py").read_text()).body)
    assert [name for name, times in counted.items() if times > 1] == []
    assert counted["CONTENT_SECURITY_POLICY"] == 1  # one per branch of its if


def test_no_sqlite_database_is_committed():
    assert tracked("*.sqlite3", "*.sqlite3-*", "*.db") == []


def test_every_api_path_ends_with_a_slash():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert [path for path in paths if not path.endswith("/")] == []


@functools.cache
def _words_outside_tests() -> dict[Path, frozenset[str]]:
    """The words of every tracked module that is not a test, a bench or an example,
    read once for all the names looked up."""
    return {
        path: frozenset(re.findall(r"\w+", path.read_text()))
        for path in tracked("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and path.relative_to(ROOT).parts[0] not in ("tests", "bench", "examples")
    }


def _callers_outside_tests(name: str, api_file: Path) -> list[Path]:
    return [
        path for path, words in _words_outside_tests().items() if path != api_file and name in words
    ]


def test_every_public_api_function_has_a_caller_or_names_its_future_one():
    """A function of a context's ``api`` that only tests call is removed, or says
    in its docstring who will call it ("No caller outside tests yet: ...")."""
    unused = []
    for context in settings.BOUNDED_CONTEXTS:
        module = importlib.import_module(f"{context}.api")
        api_file = ROOT / context / "api.py"
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue  # imported, not defined here
            if "No caller outside tests yet" in (function.__doc__ or ""):
                continue
            if not _callers_outside_tests(name, api_file):
                unused.append(f"{context}.api.{name}")
    assert unused == []


def test_every_refusal_a_context_publishes_is_a_domain_error():
    """So the kernel's one exception handler answers it, and no view translates it."""
    others = [
        f"{context}.dtos.{name}"
        for context in settings.BOUNDED_CONTEXTS
        for name, value in vars(importlib.import_module(f"{context}.dtos")).items()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == f"{context}.dtos"
        and not issubclass(value, DomainError)
    ]
    assert others == []


def test_no_module_outside_migrations_and_tests_is_above_600_lines():
    """One module, one sub-domain: a bigger one is several ideas waiting to be split."""
    too_long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in tracked("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
        if (lines := len(path.read_text().splitlines())) > 600
    }
    assert too_long == {}
