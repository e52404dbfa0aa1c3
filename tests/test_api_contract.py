"""The API against its own schema: schemathesis calls every operation on a live server.

The live server (pytest-django's, on loopback) serves the test database,
seeded with a product and a customer; ``schemathesis run`` reads the schema
the server publishes and tries every operation with a bounded number of
generated requests (``MAX_EXAMPLES`` per operation and phase), once
anonymously and once signed in as the customer with an app's token, the
public reads that a sign-in does not change left out (``SAME_SIGNED_IN``;
``tests/schemathesis_hooks.py``, which also gives every request a
connection of its own). Every answer must pass every check
schemathesis has, ``positive_data_acceptance`` included: a schema-valid
request is never refused with a 400 (``tests/schemathesis.toml`` lists
what it may get instead; docs/decisions/0015).

Part of `make test` (the PostgreSQL run: ``services``); `make contract`
runs only this file. The split run leaves out the coverage phase (each
parameter's boundary and invalid values, about half of the time): it
proves the edge's validation, which reads no database and is the same in
both runs; the examples and the generated calls, which reach every
context's own database, still run.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.builders import offer_product

pytestmark = pytest.mark.services

MAX_EXAMPLES = 10
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
CUSTOMER = {"email": "app@example.com", "password": "pw-123456"}


@pytest.fixture
def seeded(transactional_db):
    offer_product(sku="TEA-1", title="Green tea", slug="green-tea", price="4.50", stock=50)
    get_user_model().objects.create_user(CUSTOMER["email"], CUSTOMER["email"], CUSTOMER["password"])


#: Operations whose answers a sign-in does not change (public reads: a customer group's
#: prices are other numbers in the same shape): the anonymous run tries them, the signed-in
#: run leaves them out.
SAME_SIGNED_IN = ("catalog", "home", "products", "recommendations", "search")


def run_schemathesis(url: str, *options: str, **env: str) -> subprocess.CompletedProcess:
    phases = "examples,fuzzing" if settings.CONTEXT_DATABASES else "examples,coverage,fuzzing"
    return subprocess.run(
        [
            str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{url}/api/v1/schema/",
            "--checks", "all",
            "--max-examples", str(MAX_EXAMPLES), "--seed", "1", "--workers", "1",
            "--phases", phases, "--suppress-health-check", "all",
            "--no-color", *options,
        ],
        capture_output=True, text=True, timeout=900, check=False,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS), **env},
    )  # fmt: skip


def test_anonymous_callers_get_only_documented_answers(live_server, seeded):
    result = run_schemathesis(live_server.url)
    assert result.returncode == 0, result.stdout + result.stderr


def test_signed_in_customers_get_only_documented_answers(live_server, seeded, settings):
    # The run tries sign-in with generated credentials from one address; the
    # lockout (accounts/tests/test_brute_force.py) would refuse the hook's own
    # sign-ins after the fifth.
    settings.AXES_FAILURE_LIMIT = 10**9
    result = run_schemathesis(
        live_server.url,
        *(option for tag in SAME_SIGNED_IN for option in ("--exclude-tag", tag)),
        CONTRACT_BASE_URL=live_server.url,
        CONTRACT_EMAIL=CUSTOMER["email"],
        CONTRACT_PASSWORD=CUSTOMER["password"],
    )
    assert result.returncode == 0, result.stdout + result.stderr
