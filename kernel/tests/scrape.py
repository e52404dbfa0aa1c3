"""Reading /metrics the way Prometheus does, for tests in any context.

Counters live as long as the test process, so tests compare two scrapes
(`Scrape.delta`) rather than absolute values.
"""

from __future__ import annotations

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from kernel.metrics import scrape_registry


class Scrape:
    def __init__(self, text: str) -> None:
        self.samples: dict[tuple[str, frozenset], float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                key = (sample.name, frozenset(sample.labels.items()))
                self.samples[key] = sample.value

    def value(self, name: str, **labels: str) -> float:
        """The sample ``name`` with exactly ``labels``, 0 if it is not there."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def total(self, name: str, **labels: str) -> float:
        """The sum of ``name``'s samples whose labels include ``labels``."""
        wanted = set(labels.items())
        return sum(v for (n, ls), v in self.samples.items() if n == name and wanted <= ls)

    def delta(self, before: Scrape, name: str, **labels: str) -> float:
        return self.total(name, **labels) - before.total(name, **labels)


def scrape(client, **headers: str) -> Scrape:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return Scrape(response.content.decode())


def in_process() -> Scrape:
    """This process's instruments as a scrape shows them, without the outbox's (no database)."""
    return Scrape(generate_latest(scrape_registry(with_outbox=False)).decode())
