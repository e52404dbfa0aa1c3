from django.db import models


class Receipt(models.Model):
    """One row per time a probe subscriber ran: counts effects, dedupes nothing."""

    subscriber = models.CharField(max_length=100)
    label = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.label}"
