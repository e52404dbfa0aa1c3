"""A service that publishes the probe event the way a context's service
would: in its own transaction, which it may abort after publishing."""

from django.db import transaction

from kernel.outbox import publish
from tests.probe.events import ProbeHappened


class ProbeAborted(Exception):
    """The probe service failed after it had published."""


@transaction.atomic
def probe_happen(*, label: str, fail: bool = False, abort: bool = False) -> None:
    publish(ProbeHappened(label=label, fail=fail))
    if abort:
        raise ProbeAborted(label)
