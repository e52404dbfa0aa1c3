from commerce.shared.subscribers import subscriber
from tests.probe.events import ProbeHappened
from tests.probe.models import Receipt


@subscriber("probe.recorder", event=ProbeHappened)
def record(event: ProbeHappened) -> None:
    if event.fail:
        raise RuntimeError(f"probe asked to fail for {event.label}")
    Receipt.objects.create(label=event.label)
