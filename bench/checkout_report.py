"""The checkout bench's records and tables (bench/checkout.py): what each client's orders
came to, and the Markdown the report is made of."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

PLACED, REFUSED, ERROR = "placed", "refused", "error"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One order tried by one client: the seconds of each call it made, and how it ended."""

    seconds: tuple[float, ...]
    outcome: str  # PLACED, REFUSED (the scarce SKU ran out) or ERROR
    detail: str = ""  # the call and its answer, e.g. "add line: 409 out_of_stock"

    @property
    def milliseconds(self) -> float:
        return 1000 * sum(self.seconds)


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    attempts: tuple[Attempt, ...]
    seconds: float  # from the clients' start until the last order ended

    def of(self, outcome: str) -> list[Attempt]:
        return [attempt for attempt in self.attempts if attempt.outcome == outcome]

    @property
    def orders_per_second(self) -> float:
        return len(self.of(PLACED)) / self.seconds if self.seconds else 0.0


@dataclass(frozen=True, slots=True)
class RelayState:
    """The outbox at one moment: what was published, delivered, and what still waits."""

    events: int
    delivered: int
    waiting: int  # events not fanned out yet plus deliveries pending
    dead: int
    lag_seconds: float  # age of the oldest event still waiting


@dataclass(frozen=True, slots=True)
class ScarceStock:
    """The scarce SKU after its phase, as each side tells it."""

    stock: int  # units put on sale
    answered: int  # orders the clients were answered 201 for (one unit each)
    ordered: int  # units in orders' lines
    allocated: int  # units inventory allocated
    on_hand: int

    @property
    def oversold(self) -> int:
        return max(self.answered, self.ordered, self.allocated, self.stock) - self.stock


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 by nearest rank; zeros without values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0, 0.0, 0.0

    def rank(percent: int) -> float:
        return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]

    return rank(50), rank(95), rank(99)


def phase_table(phases: Sequence[Phase]) -> str:
    lines = [
        "| phase | orders placed | refused | errors | seconds | orders/s "
        "| p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for phase in phases:
        p50, p95, p99 = percentiles([attempt.milliseconds for attempt in phase.of(PLACED)])
        lines.append(
            f"| {phase.name} | {len(phase.of(PLACED))} | {len(phase.of(REFUSED))} "
            f"| {len(phase.of(ERROR))} | {phase.seconds:.1f} | {phase.orders_per_second:.1f} "
            f"| {p50:.0f} | {p95:.0f} | {p99:.0f} |"
        )
    return "\n".join(lines)


def call_table(ample: Phase, queries: dict[str, tuple[int, ...]], calls: Sequence[str]) -> str:
    """Each call of the placed orders: its latency under load and its SQL in process."""
    lines = [
        "| call | p50 ms | p95 ms | p99 ms | SQL warm | SQL cold |",
        "|---|---|---|---|---|---|",
    ]
    placed = ample.of(PLACED)
    for index, call in enumerate(calls):
        p50, p95, p99 = percentiles([1000 * attempt.seconds[index] for attempt in placed])
        lines.append(
            f"| {call} | {p50:.0f} | {p95:.0f} | {p99:.0f} "
            f"| {queries['warm'][index]} | {queries['cold'][index]} |"
        )
    lines.append(f"| the order | | | | {sum(queries['warm'])} | {sum(queries['cold'])} |")
    return "\n".join(lines)


def verdict_table(judged: list[tuple[str, str, bool]]) -> str:
    rows = [
        f"| {name} | {measured} | {'met' if met else 'MISSED'} |" for name, measured, met in judged
    ]
    return "\n".join(["| target | measured | verdict |", "|---|---|---|", *rows])


def counted(details: Counter) -> str:
    """``"add line: 409 out_of_stock (12), review: 400 bad_request (3)"``, or ``"none"``."""
    return ", ".join(f"{detail} ({n})" for detail, n in details.most_common()) or "none"
