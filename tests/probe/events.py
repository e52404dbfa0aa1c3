from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProbeHappened:
    """Something happened; ``fail`` makes the recorder raise, ``hold_seconds``
    keeps the recorder (and its delivery's transaction) busy that long."""

    event_type: ClassVar[str] = "probe.happened.v1"

    label: str
    fail: bool = False
    hold_seconds: float = 0.0
