"""gunicorn's settings: ``gunicorn -c python:commerce.gunicorn commerce.wsgi``.

Only what the application needs from the server; the rest (bind, workers,
timeouts) stays on the command line or in ``GUNICORN_CMD_ARGS``.
"""

from kernel.metrics import clear_multiprocess_dir


def on_starting(server) -> None:
    """Before the workers fork: a new run starts with no metrics of the last one
    (with ``PROMETHEUS_MULTIPROC_DIR`` set; docs/operations.md, "Metrics")."""
    clear_multiprocess_dir()


#: The longest request line gunicorn reads (its most, 8190 bytes; its default is 4094), so
#: an address longer than the edge's ``EDGE_MAX_URL_LENGTH``, counted percent-encoded as it
#: arrives, gets the shop's own 414 (the API's problem document) rather than gunicorn's page.
limit_request_line = 8190
