import os

from django.db import models


class Receipt(models.Model):
    """One row per time a probe subscriber ran: counts effects, dedupes nothing.

    ``pid`` tells which process ran it: this one, or a Celery worker."""

    subscriber = models.CharField(max_length=100)
    label = models.CharField(max_length=100)
    pid = models.PositiveIntegerField(default=os.getpid)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.label}"
