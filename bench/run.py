"""``make bench``: every benchmark in turn, each in its own process; a summary at the end.

Each bench makes and drops its own scratch databases and Redis keys
(bench/scratch.py), so this runs safely next to other work on the same
PostgreSQL and Redis. A bench that fails or misses its target does not stop
the others; the exit status is non-zero if any did.

    .venv/bin/python bench/run.py               # all
    .venv/bin/python bench/run.py surge         # only bench/surge.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    "surge",
    "import_catalog",
    "relay_throughput",
    "checkout",
    "pricing_quote",
    "recommendations_quality",
    "seed_demo_sqlite",
]
#: No bench may run longer than this (seconds); a stuck one is stopped (SIGTERM cleans up).
TIME_LIMIT = 900


def main(names: list[str]) -> int:
    unknown = set(names) - set(BENCHES)
    if unknown:
        sys.exit(f"no such bench: {', '.join(sorted(unknown))} (known: {', '.join(BENCHES)})")
    outcomes = []
    for name in names or BENCHES:
        print(f"\n=== bench/{name}.py", flush=True)
        started = time.monotonic()
        try:
            code = subprocess.run(
                [sys.executable, str(HERE / f"{name}.py")], timeout=TIME_LIMIT, check=False
            ).returncode
        except subprocess.TimeoutExpired:
            code = "timed out"
        outcomes.append((name, code, time.monotonic() - started))
    print("\n=== summary")
    for name, code, seconds in outcomes:
        print(f"{name:26} {'ok' if code == 0 else f'FAILED ({code})':14} {seconds:6.0f} s")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
