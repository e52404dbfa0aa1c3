"""Settings for the test suite: the real settings plus a probe app.

The probe app (tests/probe) is a stand-in subscriber whose every handled
event leaves a row, so tests can count effects, including from a Celery
worker process started with these same settings.
"""

from commerce.settings import *  # noqa: F403
from commerce.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.probe"]

# Hashing passwords with Argon2 is deliberately slow; tests do not need that.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the finders, as in development: tests never run
# collectstatic, and whitenoise would warn about the missing STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Connections opened outside a test's own thread (by threads that call
# optional contexts, kernel.isolation, or by the Celery worker the
# outbox tests start) are closed after each call or task instead of being
# kept for CONN_MAX_AGE, so none outlives its test or keeps the test
# database from being dropped.
for _database in DATABASES.values():  # noqa: F405 - every context's, in split mode
    _database["CONN_MAX_AGE"] = 0
    # A test database is thrown away: its commits need not wait for the WAL
    # to reach the disk (PostgreSQL's synchronous_commit, per connection).
    # Locks, isolation and visibility are unchanged, so every concurrency
    # proof means what it says; the suite's many commits get cheaper.
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# An optional context's answer is awaited 0.3 s in production. On PostgreSQL a test
# machine running two suites side by side can take longer than that to read committed
# rows (seen: a page composed without its reviews section failed a test of freshness),
# so the PostgreSQL runs wait 2 s; the SQLite run keeps production's budget. The tests
# of the budget itself set theirs (0.2-0.3 s, with an injected delay).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    ISOLATION_DEFAULT_BUDGET_SECONDS = 2

# The suite signs up and resets passwords from one address far more often
# than a person would; the throttle tests set their own limits.
SIGN_UP_LIMIT_PER_HOUR = PASSWORD_RESET_LIMIT_PER_HOUR = 10_000

# The suite calls the API from one address far more often than an app
# would; the throttle tests set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "auth": None, "vouchers": None},
}
