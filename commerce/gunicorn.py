"""gunicorn's settings: ``gunicorn -c python:commerce.gunicorn commerce.wsgi``.

Only what the application needs from the server; the rest (bind, workers,
timeouts) stays on the command line or in ``GUNICORN_CMD_ARGS``.
"""

import json
import os

from gunicorn import util as gunicorn_util

from commerce.startup import exit_on_bad_configuration
from kernel.metrics import clear_multiprocess_dir


def on_starting(server) -> None:
    """Before the workers fork: the configuration is read, and a new run starts with no
    metrics of the last one (with ``PROMETHEUS_MULTIPROC_DIR`` set; docs/operations.md,
    "Metrics").

    A bad variable stops the master here, with its one line. Found first in a worker
    (``commerce.wsgi``), it only ended that worker, and the master forked another, every
    second, for ever: a web process that never served and never stopped.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce.settings")
    exit_on_bad_configuration()
    clear_multiprocess_dir()


#: The longest request line gunicorn reads (its most, 8190 bytes; its default is 4094), so
#: an address longer than the edge's ``EDGE_MAX_URL_LENGTH``, counted percent-encoded as it
#: arrives, gets the shop's own 414 (the API's problem document) rather than gunicorn's page.
limit_request_line = 8190


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own refusals (a request line or a header too long, a header it cannot
    parse) as the API's problem document instead of gunicorn's HTML page.

    gunicorn answers them before the application sees the request, so neither the edge
    nor Django's handlers can: an app sending a schema-violating list of SKUs that grows
    past 8190 bytes percent-encoded met ``text/html`` where every refusal is
    ``application/problem+json``. The path is not known at that point (the request line
    is what failed), so every address gets the document; the shop's pages have none of
    their own for these. Called in a worker, where Django is set up.
    """
    from kernel.rest import PROBLEM_MEDIA_TYPE, problem  # Django is set up only in a worker

    body = json.dumps(problem(status_int, detail=mesg or reason)).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_MEDIA_TYPE}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    gunicorn_util.write_nonblock(sock, head.encode("latin-1") + body)


# The workers call ``gunicorn.util.write_error`` by name, so this replaces it for them all.
gunicorn_util.write_error = write_problem
