from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProbeHappened:
    event_type: ClassVar[str] = "probe.happened.v1"

    label: str
    fail: bool = False
