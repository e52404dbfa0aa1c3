"""Every shell script the project ships parses.

CI's entry point (`.ci/run`) once reached `main` with a merge that spliced
one comment into another line; bash refused it before running a single
check, so the whole run failed in 0 seconds. `bash -n` reads a script
without running it, which is enough to catch that class for every script.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(
    path
    for path in [ROOT / ".ci" / "run", *(ROOT / "scripts").iterdir()]
    if path.is_file() and path.read_text().startswith("#!/usr/bin/env bash")
)


def test_every_project_script_is_found():
    assert ROOT / ".ci" / "run" in SCRIPTS
    assert len(SCRIPTS) >= 5


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_script_parses(script):
    parsed = subprocess.run(
        ["bash", "-n", str(script)], check=False, capture_output=True, text=True
    )
    assert parsed.returncode == 0, parsed.stderr
