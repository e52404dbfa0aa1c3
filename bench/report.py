"""Reading wrk's output and writing the surge benchmark's table (bench/surge.py).

Kept apart from the harness so the parsing and the verdicts are unit
tested (tests/test_bench_harness.py) without starting a server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: wrk's latency units, in milliseconds.
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_COUNT = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")

#: Share of the floor's requests per second (cold, warm), in percent.
SHARE_TARGETS = {
    "product page": (15, 60),
    "product page, signed in": (15, 60),
    "API product detail": (15, 60),
    "category page": (8, 40),
    "home page": (8, 40),
    "search page": (8, 40),
}
#: Most SQL queries per request (cold, warm).
SQL_TARGETS = {
    "product page": (6, 2),
    "category page": (8, 2),
    "home page": (8, 2),
    "search page": (8, 2),
}


class WrkOutputError(ValueError):
    """wrk printed something without the numbers the report needs."""


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    #: Non-2xx/3xx responses plus socket errors: any makes the run suspect.
    errors: int


def parse_wrk(text: str) -> WrkResult:
    """The numbers of one ``wrk --latency`` run."""
    rate, count = _RATE.search(text), _COUNT.search(text)
    latencies = {m[1]: float(m[2]) * _UNITS[m[3]] for m in _LATENCY.finditer(text)}
    if not rate or not count or set(latencies) != {"50", "99"}:
        raise WrkOutputError(f"not the output of wrk --latency:\n{text}")
    errors = sum(int(n) for n in _NON_2XX.findall(text))
    if socket := _SOCKET.search(text):
        errors += sum(int(n) for n in socket.groups())
    return WrkResult(
        requests=int(count[1]),
        requests_per_second=float(rate[1]),
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        errors=errors,
    )


@dataclass(frozen=True, slots=True)
class Row:
    """One endpoint in one cache mode, next to the floor run just before it."""

    endpoint: str
    mode: str  # "cold" or "warm"
    result: WrkResult
    floor: WrkResult
    queries: int | None
    #: One request through Django's test client in the bench process, unloaded.
    single_ms: float | None = None

    @property
    def share(self) -> float:
        return 100 * self.result.requests_per_second / self.floor.requests_per_second


def verdict(row: Row) -> str:
    """ "ok" or what missed its target, e.g. "share < 15 %, SQL > 6"."""
    index = 0 if row.mode == "cold" else 1
    missed = []
    if row.endpoint in SHARE_TARGETS and row.share < SHARE_TARGETS[row.endpoint][index]:
        missed.append(f"share < {SHARE_TARGETS[row.endpoint][index]} %")
    limit = SQL_TARGETS.get(row.endpoint, (None, None))[index]
    if limit is not None and row.queries is not None and row.queries > limit:
        missed.append(f"SQL > {limit}")
    if row.result.errors:
        missed.append(f"{row.result.errors} errors")
    if not row.result.requests:
        missed.append("no response in the run")
    return ", ".join(missed) or "ok"


HEADER = (
    "| endpoint | cache | req/s | floor req/s | share of floor | p50 ms | p99 ms | SQL/request "
    "| 1 request ms | verdict |"
)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (also readable as plain text)."""
    lines = [HEADER, "|" + "---|" * HEADER.count(" | ") + "---|"]
    for row in rows:
        lines.append(
            f"| {row.endpoint} | {row.mode} | {row.result.requests_per_second:.0f} "
            f"| {row.floor.requests_per_second:.0f} | {row.share:.0f} % "
            f"| {row.result.p50_ms:.1f} | {row.result.p99_ms:.1f} "
            f"| {'-' if row.queries is None else row.queries} "
            f"| {'-' if row.single_ms is None else f'{row.single_ms:.0f}'} | {verdict(row)} |"
        )
    return "\n".join(lines)


def memory_table(rss_kib: dict[str, list[int]], limit_mib: int = 150) -> str:
    """Each gunicorn worker's resident memory after its run (``VmRSS``)."""
    lines = ["| server | worker RSS (MiB) | verdict |", "|---|---|---|"]
    for server, values in rss_kib.items():
        mib = [value / 1024 for value in values]
        shown = ", ".join(f"{value:.0f}" for value in mib) or "-"
        over = [value for value in mib if value > limit_mib]
        lines.append(f"| {server} | {shown} | {f'> {limit_mib} MiB' if over else 'ok'} |")
    return "\n".join(lines)


def vm_rss_kib(status: str) -> int:
    """``VmRSS`` of a ``/proc/<pid>/status`` text, in KiB."""
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    if not match:
        raise ValueError("no VmRSS line (a zombie or kernel thread?)")
    return int(match[1])
