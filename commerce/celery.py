"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace
(see commerce/settings.py: late acks, requeue on worker loss, prefetch 1,
time limits, the beat schedule of the outbox relay). Tasks live in each
context's ``tasks.py`` as ``shared_task`` and are found by autodiscovery.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce.settings")

app = Celery("commerce")
# Django's settings, read through commerce.startup so that a bad variable stops a worker
# or beat with its one line, not a page of traceback from inside Celery's option parsing.
app.config_from_object("commerce.startup:checked_settings", namespace="CELERY")
app.autodiscover_tasks()
