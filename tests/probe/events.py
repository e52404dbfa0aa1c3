from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProbeHappened:
    """Something happened; ``fail`` makes the recorder raise (see handlers.hold
    to keep it busy inside its delivery's transaction)."""

    event_type: ClassVar[str] = "probe.happened.v1"

    label: str
    fail: bool = False


@dataclass(frozen=True, slots=True)
class ProbeBatched:
    """Something happened, for the subscriber that takes a list (``handlers.record_batch``);
    ``fail`` makes any list it is in fail."""

    event_type: ClassVar[str] = "probe.batched.v1"

    label: str
    fail: bool = False
