"""Celery tasks of catalog: thin, taking ids, calling services."""

from celery import shared_task

from catalog import images
from kernel.databases import on_commit


@shared_task(name="catalog.tasks.make_thumbnails")
def make_thumbnails(image_id: int) -> None:
    images.make_thumbnails(image_id=image_id)


def schedule_thumbnails(*, image_id: int) -> None:
    """Make the thumbnails after commit: eagerly in the embedded default, else on a worker.

    A broker outage must not fail the upload: the image then shows in full
    size until ``manage.py make_thumbnails`` is run.
    """

    def enqueue() -> None:
        try:
            make_thumbnails.delay(image_id)
        except Exception:  # noqa: BLE001 - broker down: the page falls back to the original
            images.logger.warning("thumbnails of image %s not queued", image_id)

    on_commit("catalog", enqueue)
