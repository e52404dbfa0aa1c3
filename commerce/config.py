"""Reading configuration from the environment, with errors a person can act on.

django-environ parses the variables; this module adds the one thing it does
not do: refuse a value it cannot understand with a message that names the
variable (an unknown ``DATABASE_URL`` scheme is otherwise accepted silently
and fails much later, deep inside the first query).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

SUPPORTED_DATABASE_SCHEMES = {
    "sqlite": "SQLite (embedded default)",
    "postgres": "PostgreSQL",
    "postgresql": "PostgreSQL",
    "pgsql": "PostgreSQL",
}
SUPPORTED_CACHE_SCHEMES = {"locmemcache", "dummycache", "redis", "rediss", "rediscache"}
SUPPORTED_BROKER_SCHEMES = {"redis", "rediss", "amqp", "memory"}


class ConfigurationError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        super().__init__(f"{variable}: {problem}")


def read(variable: str, cast, default=environ.Env.NOTSET):
    """Read ``variable`` with django-environ's ``cast``; name it on failure."""
    try:
        return cast(variable, default=default)
    except ConfigurationError:
        raise
    except ImproperlyConfigured as exc:
        raise ConfigurationError(variable, "is required but not set") from exc
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(variable, f"cannot be read ({exc})") from exc


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def boolean(variable: str, default=environ.Env.NOTSET) -> bool:
    """A strict boolean: django-environ reads any unknown word as False,
    which would turn a typo in ``DEBUG`` or ``HTTPS`` into a silent change."""
    raw = env.str(variable, default=None)
    if raw is None:
        if default is environ.Env.NOTSET:
            raise ConfigurationError(variable, "is required but not set")
        return default
    value = raw.strip().lower()
    if value not in _TRUE | _FALSE:
        raise ConfigurationError(variable, f"{raw!r} is not a boolean (use 1/0, true/false)")
    return value in _TRUE


def _scheme(variable: str, url: str, supported) -> str:
    scheme = urlsplit(url).scheme
    if scheme not in supported:
        raise ConfigurationError(
            variable,
            f"unsupported or malformed URL {url!r}; expected a scheme among "
            f"{', '.join(sorted(supported))}",
        )
    return scheme


def database(variable: str, default: str) -> dict:
    url = env.str(variable, default=default)
    _scheme(variable, url, SUPPORTED_DATABASE_SCHEMES)
    try:
        config = env.db_url_config(url)
    except (ValueError, KeyError) as exc:
        raise ConfigurationError(variable, f"cannot be parsed ({exc})") from exc
    if not config.get("NAME"):
        raise ConfigurationError(variable, f"names no database in {url!r}")
    return config


#: SQLite: writers wait for the lock instead of failing at once; WAL lets
#: readers (the storefront) go on while a writer (the admin, a task) commits.
#: synchronous=NORMAL: in WAL mode a commit no longer waits for an fsync
#: (only checkpoints do); a power cut may lose the last commits but never
#: corrupts the database (bench/seed_demo_sqlite.py: seed_demo 26 s -> 22 s).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
#: What every PostgreSQL connection starts with (startup options: no statement per
#: connection). ``jit=off``: the shop's queries run in milliseconds, and compiling one
#: that merely looks expensive (a search's facets, planned at millions) cost 450 ms at
#: 100,000 products.
POSTGRES_STARTUP = "-c jit=off"


def connection_options(database: dict) -> dict:
    """``database``'s OPTIONS (a ``DATABASES`` entry) with what every connection needs."""
    given = database.get("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return {**SQLITE_OPTIONS, **given}
    return {**given, "options": f"{POSTGRES_STARTUP} {given.get('options', '')}".strip()}


#: Django's Redis backend, as django-environ names it, and the shop's in its place.
_DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"
_SHOP_REDIS = "kernel.cache_backend.RedisCache"


def cache(variable: str, default: str, *, timeout_variable: str) -> dict:
    """The cache at ``variable``'s URL. Redis goes through kernel.cache_backend (a
    failure is a miss) and must connect and answer within ``timeout_variable``'s
    seconds (0.5): a host that drops packets then costs a request a fraction of a
    second, not gunicorn's timeout."""
    url = env.str(variable, default=default)
    _scheme(variable, url, SUPPORTED_CACHE_SCHEMES)
    timeout = read(timeout_variable, env.float, default=0.5)
    if not 0 < timeout <= 60:
        raise ConfigurationError(timeout_variable, f"{timeout} is not between 0 and 60 seconds")
    config = env.cache_url_config(url)
    if config["BACKEND"] == _DJANGO_REDIS:
        config["BACKEND"] = _SHOP_REDIS
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
        }
    return config


def broker(variable: str) -> str:
    """The Celery broker URL, or "" when tasks should run eagerly in process."""
    url = env.str(variable, default="")
    if url:
        _scheme(variable, url, SUPPORTED_BROKER_SCHEMES)
    return url


def worker_metrics_port(variable: str) -> int:
    """The port a Celery worker serves its metrics on, 0 for none.

    Refused without ``PROMETHEUS_MULTIPROC_DIR``: the worker's tasks run in
    its pool's processes, whose counts reach the port only through that
    directory, so the port would show every task count as zero.
    """
    port = read(variable, env.int, default=0)
    if port and not env.str("PROMETHEUS_MULTIPROC_DIR", default=""):
        raise ConfigurationError(variable, "needs PROMETHEUS_MULTIPROC_DIR set as well")
    return port


def email(variable: str, default: str) -> dict:
    url = env.str(variable, default=default)
    try:
        return env.email_url_config(url)
    except (ValueError, KeyError) as exc:
        raise ConfigurationError(variable, f"cannot be parsed ({exc})") from exc


FAULT_ACTIONS = ("raise", "sleep:<seconds>")


def faults(variable: str, *, allowed: bool) -> dict[str, tuple[str, float]]:
    """``name=raise,name=sleep:5`` as ``{name: ("raise", 0.0), name: ("sleep", 5.0)}``.

    ``allowed`` False (DEBUG off without FAULT_INJECTION_ALLOWED=1) refuses
    any fault: production must never break itself because a variable was
    left over from a test.
    """
    raw = env.str(variable, default="").strip()
    if not raw:
        return {}
    if not allowed:
        raise ConfigurationError(
            variable, "is refused with DEBUG off unless FAULT_INJECTION_ALLOWED=1"
        )
    parsed: dict[str, tuple[str, float]] = {}
    for entry in raw.split(","):
        name, _, action = (part.strip() for part in entry.partition("="))
        if not name.isidentifier() or name in parsed:
            raise ConfigurationError(variable, f"{entry!r}: expected a context name once, then =")
        parsed[name] = _fault_action(variable, entry, action)
    return parsed


def _fault_action(variable: str, entry: str, action: str) -> tuple[str, float]:
    kind, _, seconds = action.partition(":")
    if kind == "raise" and not seconds:
        return ("raise", 0.0)
    if kind == "sleep":
        try:
            delay = float(seconds)
        except ValueError:
            delay = -1.0
        if 0 <= delay <= 600:
            return ("sleep", delay)
    raise ConfigurationError(
        variable, f"{entry!r}: the fault must be one of {', '.join(FAULT_ACTIONS)} (0-600 s)"
    )
