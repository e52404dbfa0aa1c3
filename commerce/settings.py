"""Django settings, all read from the environment (twelve-factor).

Defaults give the embedded setup `make run` uses: SQLite in the project,
Celery tasks run eagerly in process, local-memory cache, e-mail to the
console, DEBUG on. Production sets the variables listed in README.md; with
DEBUG off a real SECRET_KEY is required, and HTTPS=1 turns on every
transport-security setting that `check --deploy` asks for.

One section per concern, and each setting assigned once, where it is
defined: the project-wide sections first, then each context's own
(``<CONTEXT>_*``), then Celery, whose beat schedule lists every periodic
task with the intervals those sections read. It stays one module, longer
than the project's other modules, on purpose: split settings files end up
extending each other's lists and dicts, and a reader can no longer find the
one place a setting gets its value.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab, schedule
from kombu import Queue

from commerce import config
from commerce.config import ConfigurationError, env, read
from commerce.content_policy import content_security_policy
from commerce.logconfig import logging_config

# --- Paths, debug, secrets --------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = read("DEBUG", config.boolean, default=True)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = read("SECRET_KEY", env.str, default=_DEV_SECRET_KEY if DEBUG else env.NOTSET)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ConfigurationError("SECRET_KEY", "the development key cannot be used with DEBUG off")

# --- Applications -----------------------------------------------------------
BOUNDED_CONTEXTS = [
    "catalog",
    "pricing",
    "inventory",
    "orders",
    "reviews",
    "recommendations",
    "accounts",
]

INSTALLED_APPS = [
    # The back office first: its admin templates (index, dashboard) override
    # Django's; its AdminConfig makes its site the one every admin.py uses.
    "backoffice",
    "backoffice.adminconfig.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "knox",
    "corsheaders",
    "kernel.apps.SharedKernelConfig",
    *BOUNDED_CONTEXTS,
    "storefront",
    "demo",
]

# --- Middleware -------------------------------------------------------------
MIDDLEWARE = [
    # /healthz, /readyz and /metrics, answered before anything else runs.
    "commerce.health.operations_endpoints_middleware",
    # A request id for every request; its count, latency and SQL in the metrics.
    "kernel.middleware.observe_requests_middleware",
    "kernel.cache_policy.cache_policy_middleware",  # never shared if it sets a cookie
    "kernel.remote.outage.ServiceUnavailableMiddleware",  # a service down: 503, not 500
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kernel.headers.ContentSecurityPolicyMiddleware",
    "kernel.headers.permissions_policy_middleware",
    # CORS for /api/ only (CORS_* below); before the edge (a refusal carries its headers).
    "corsheaders.middleware.CorsMiddleware",
    "kernel.edge.edge_middleware",  # hostile input refused here, once, before anything reads it
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kernel.media.media_middleware",  # uploaded pictures, unless SERVE_MEDIA is off
    "django.middleware.locale.LocaleMiddleware",  # /de/...: German, else English (ADR 0011)
    # request.visitor_id: one anonymous id, so an experiment prices alike everywhere.
    "kernel.visitor.visitor_id_middleware",
    # A newcomer's kept page is answered here (storefront/early_answers.py).
    "storefront.early_answers.answer_kept_pages_middleware",
    "kernel.read_ahead.SessionMiddleware",  # the session, with what it names, in one round trip
    "kernel.slashes.CommonMiddleware",  # a POST without its slash: 308, not 301
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.signed_in.AuthenticationMiddleware",  # the user from a cached snapshot
    "kernel.read_ahead.read_ahead_middleware",  # what the session names, in one round trip
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "kernel.query.UnreadQueryMiddleware",  # an API route's query it does not read: 400
]

# --- URLs and templates -----------------------------------------------------
# What this process serves: the shop, or one context's internal endpoints
# only (SERVE=pricing: pricing's own process, docs/pricing-service.md).
SERVE = read("SERVE", env.str, default="shop")
_URLCONFS = {"shop": "commerce.urls", "pricing": "commerce.urls_pricing"}
if SERVE not in _URLCONFS:
    raise ConfigurationError("SERVE", f"{SERVE!r} is not one of {', '.join(_URLCONFS)}")
ROOT_URLCONF = _URLCONFS[SERVE]
WSGI_APPLICATION = "commerce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% translate %} and {% blocktranslate %} in every template
            # without a {% load i18n %} in each.
            "builtins": ["django.templatetags.i18n"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The layout's header: the top categories, read lazily (no
                # query on pages that do not show them)...
                "storefront.context_processors.navigation",
                # ...and the mini-cart count (no query for a session without
                # a cart).
                "orders.context_processors.minicart",
            ],
        },
    },
]

# --- Databases --------------------------------------------------------------
_database = config.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Lets parallel test runs on one PostgreSQL server use separate databases.
_test_database_name = read("TEST_DATABASE_NAME", env.str, default="")


def _connection(database: dict, *, test: dict) -> dict:
    return {
        **database,
        "CONN_MAX_AGE": read("CONN_MAX_AGE", env.int, default=60),
        "CONN_HEALTH_CHECKS": True,
        **({"TEST": test} if test else {}),
        "OPTIONS": config.connection_options(database),
    }


DATABASES = {
    "default": _connection(
        _database, test={"NAME": _test_database_name} if _test_database_name else {}
    )
}

# A database per context, by configuration only (docs/splitting.md):
# DATABASE_URL_<CONTEXT> (e.g. DATABASE_URL_PRICING) gives that context a
# database alias of its own, named after it; unset, the context stays in
# DATABASE_URL's. Apps with tables that are not contexts live with the one
# that uses them: Django's users, groups, permissions, sessions and admin
# log, the sign-in lockouts and the app tokens with accounts. The gateway, back
# office and demo own no tables (the gateway's inbox stays in default).
_LIVES_WITH = {"accounts": ["auth", "contenttypes", "sessions", "admin", "axes", "knox"]}
CONTEXT_DATABASES: dict[str, str] = {}
for _context in BOUNDED_CONTEXTS:
    _variable = f"DATABASE_URL_{_context.upper()}"
    if read(_variable, env.str, default=""):
        DATABASES[_context] = _connection(config.database(_variable, default=""), test={})
        CONTEXT_DATABASES.update(
            dict.fromkeys([_context, *_LIVES_WITH.get(_context, [])], _context)
        )
# Test databases are created in this order: accounts' first, because the other
# contexts' data migrations grant its permissions to staff groups.
_accounts_alias = CONTEXT_DATABASES.get("accounts", "default")
for _alias in DATABASES.keys() - {"default"}:
    DATABASES[_alias].setdefault("TEST", {})["DEPENDENCIES"] = sorted(
        {"default", _accounts_alias} - {_alias}
    )
DATABASE_ROUTERS = ["kernel.databases.ContextRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and passwords -------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: a changed password revokes the account's app tokens.
    {"NAME": "accounts.passwords.RevokeTokensOnChange"},
]
# Shoppers sign in on the storefront (accounts); the admin keeps its own login page.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "storefront:home"

# --- Internationalisation and time ------------------------------------------
# English at the site root, German under /de/ (docs/decisions/0011-shopper-language-in-the-url.md);
# the catalogue is locale/de/LC_MESSAGES/django.po, its .mo committed; dates per language:
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["commerce.formats"]
TIME_ZONE = read("TIME_ZONE", env.str, default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files and media -------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = read("STATIC_ROOT", env.path, default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = read("MEDIA_ROOT", env.path, default=BASE_DIR / "media")
SERVE_MEDIA = read("SERVE_MEDIA", env.bool, default=True)  # off: a front serves /media/
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Cache ------------------------------------------------------------------
# Redis answers within CACHE_TIMEOUT_SECONDS or is taken for empty (kernel/cache_backend.py).
# Keys start with CACHE_KEY_PREFIX, so processes sharing one Redis database (a
# benchmark, a second shop) never read, or clean up, each other's entries.
_CACHE = config.cache(
    "CACHE_URL", "locmemcache://commerce", timeout_variable="CACHE_TIMEOUT_SECONDS"
)
CACHES = {"default": {**_CACHE, "KEY_PREFIX": read("CACHE_KEY_PREFIX", env.str, default="")}}
# Sessions are written to the database and read through the cache; a session
# write the cache missed is deleted from it once it answers (kernel.cache_backend).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- E-mail -----------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587, sets EMAIL_BACKEND,
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS.
globals().update(config.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = read("DEFAULT_FROM_EMAIL", env.str, default="shop@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = read("STAFF_NOTIFICATION_EMAILS", env.list, default=[])
# The shop's address as shoppers reach it: e-mails are written outside any
# request (Celery), so their links and pictures are made absolute with it.
SITE_URL = read("SITE_URL", env.str, default="http://127.0.0.1:8000")

# --- REST framework and the OpenAPI schema ----------------------------------
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # App tokens first (django-rest-knox, see "REST API: app authentication");
    # the session (with CSRF) stays for the browsable API and Swagger UI.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.app_tokens.AppTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "EXCEPTION_HANDLER": "kernel.rest.exception_handler",
    # Bodies are JSON only (objects and lists, which a form cannot carry: 415); hostile JSON
    # is refused by the parser, an unknown ?format= is a 406 (kernel/negotiation.py).
    "DEFAULT_PARSER_CLASSES": ["kernel.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "kernel.negotiation.ContentNegotiation",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",  # test clients send what the API reads
    # Requests per caller (docs/api.md): anonymous ones per address, signed-in
    # ones per user; stricter scopes for signing in, signing up and password
    # reset (``auth``) and for trying voucher codes (``vouchers``). Over the
    # rate: 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "kernel.throttle.AnonRateThrottle",
        "kernel.throttle.UserRateThrottle",
        "kernel.throttle.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": read("API_THROTTLE_ANON", env.str, default="120/minute"),
        "user": read("API_THROTTLE_USER", env.str, default="240/minute"),
        "auth": read("API_THROTTLE_AUTH", env.str, default="10/minute"),
        "vouchers": read("API_THROTTLE_VOUCHERS", env.str, default="20/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commerce API",
    "DESCRIPTION": "Versioned REST API of the Commerce storefront, for the mobile app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DEFAULT_GENERATOR_CLASS": "kernel.schema.ApiSchemaGenerator",  # the API's routes only
    # Every answer documented, by a component's own docstring only
    # (kernel/schema.py); docs/openapi.yaml is checked by `make check`.
    "GET_LIB_DOC_EXCLUDES": "kernel.schema.lib_doc_excludes",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kernel.schema.add_problem_responses",
        "kernel.schema.refuse_nul_in_requests",
    ],
    # Requests have components of their own ("...Request"): closed, their
    # text non-blank unless a field allows it (docs/decisions/0015).
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- REST API: app authentication ---
# The mobile app signs in for a token (django-rest-knox, docs/api.md): one per device,
# at most API_TOKENS_PER_USER (a sign-in past it revokes the oldest; knox's cap would
# refuse it), stored as a hash, revoked at sign-out and on a password change, expiring
# after API_TOKEN_TTL_DAYS unless rotated; tried before the session (browsable API).
# A guest's order answers to its signed access token for ORDER_ACCESS_TTL_DAYS.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=read("API_TOKEN_TTL_DAYS", env.int, default=30)),
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
}
API_TOKENS_PER_USER = read("API_TOKENS_PER_USER", env.int, default=10)
ORDER_ACCESS_TTL_DAYS = read("ORDER_ACCESS_TTL_DAYS", env.int, default=30)
# --- REST API: errors, limits, CORS -----------------------------------------
# docs/api.md. Every API error is application/problem+json; its ``type``: this base + its code.
API_PROBLEM_TYPE_BASE = read(
    "API_PROBLEM_TYPE_BASE", env.str, default="https://commerce.example/problems/"
)
# Browsers may call the API (and only the API) from these origins, e.g.
# "https://app.example.com"; none by default. Token-authenticated apps need
# no credentials, so cookies are not sent cross-origin.
CORS_ALLOWED_ORIGINS = read("CORS_ALLOWED_ORIGINS", env.list, default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "order-access-token",
    "if-none-match",
    "if-modified-since",
    "x-csrftoken",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Location", "Retry-After"]

# --- Hosts and transport security: one switch for a site served over HTTPS ---
ALLOWED_HOSTS = read("ALLOWED_HOSTS", env.list, default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = read("CSRF_TRUSTED_ORIGINS", env.list, default=[])
HTTPS = read("HTTPS", config.boolean, default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = read("SECURE_HSTS_SECONDS", env.int, default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = read(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", config.boolean, default=HTTPS
)
SECURE_HSTS_PRELOAD = read("SECURE_HSTS_PRELOAD", config.boolean, default=HTTPS)
if read("BEHIND_TLS_PROXY", config.boolean, default=False):
    # Only behind a proxy that strips and sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Shared kernel: outbox and failure isolation ----------------------------
OUTBOX_RELAY_INTERVAL_SECONDS = read("OUTBOX_RELAY_INTERVAL_SECONDS", env.float, default=5.0)
OUTBOX_MAX_ATTEMPTS = read("OUTBOX_MAX_ATTEMPTS", env.int, default=10)
OUTBOX_RETRY_BASE_SECONDS = read("OUTBOX_RETRY_BASE_SECONDS", env.float, default=10.0)
OUTBOX_RETRY_MAX_SECONDS = read("OUTBOX_RETRY_MAX_SECONDS", env.float, default=3600.0)
OUTBOX_RETENTION_DAYS = read("OUTBOX_RETENTION_DAYS", env.int, default=14)
# Deliveries to one subscriber handed to one task, run in one transaction (kernel.relay).
OUTBOX_DELIVERY_BATCH = read("OUTBOX_DELIVERY_BATCH", env.int, default=100)

ISOLATION_DEFAULT_BUDGET_SECONDS = read("ISOLATION_BUDGET_SECONDS", env.float, default=0.3)
ISOLATION_MAX_WORKERS = read("ISOLATION_MAX_WORKERS", env.int, default=8)
# Optional contexts failing on purpose (kernel/faults.py), e.g.
# "recommendations=raise,reviews=sleep:5"; refused with DEBUG off unless allowed.
FAULT_INJECTION = config.faults(
    "FAULT_INJECTION",
    allowed=DEBUG or read("FAULT_INJECTION_ALLOWED", config.boolean, default=False),
)

# --- Shop -------------------------------------------------------------------
DEFAULT_CURRENCY = read("DEFAULT_CURRENCY", env.str, default="EUR")
#: What shoppers may switch to (kernel/currency.py); prices exist in each.
SHOP_CURRENCIES = ("EUR", "USD", "GBP")

# --- Storefront: the gateway's page cache and the HTTP cache in front -------
# Seconds a page is kept per price segment (page_cache.py, ADR 0023); 0: off.
STOREFRONT_PAGE_CACHE_SECONDS = read("STOREFRONT_PAGE_CACHE_SECONDS", env.int, default=60)
# Varnish in front shares anonymous pages (docs/varnish/storefront.vcl, ADR 0019);
# on a change's events the storefront bans the pages showing it at each address,
# e.g. "http://varnish-1:6081/,http://varnish-2:6081/". Unset: nothing is banned.
HTTP_CACHE_PURGE_URLS = read("HTTP_CACHE_PURGE_URLS", env.list, default=[])
# Seconds to wait for one cache; a ban that fails fails its delivery (retried).
HTTP_CACHE_PURGE_TIMEOUT = read("HTTP_CACHE_PURGE_TIMEOUT", env.float, default=2.0)

# --- Inventory --------------------------------------------------------------
INVENTORY_LOW_STOCK_THRESHOLD = read("INVENTORY_LOW_STOCK_THRESHOLD", env.int, default=5)
INVENTORY_SHOWN_QUANTITY_CAP = read("INVENTORY_SHOWN_QUANTITY_CAP", env.int, default=10)
# How long a checkout's hold on stock lasts when orders does not say.
INVENTORY_RESERVATION_TTL_SECONDS = read("INVENTORY_RESERVATION_TTL_SECONDS", env.int, default=900)
INVENTORY_PURGE_INTERVAL_SECONDS = read("INVENTORY_PURGE_INTERVAL_SECONDS", env.float, default=60.0)

# --- Pricing ----------------------------------------------------------------
#: Tax country of a quote that names none, per currency (docs/pricing.md).
PRICING_DEFAULT_COUNTRY = {"EUR": "DE", "GBP": "GB", "USD": "US"}
#: A sane ceiling on one basket: more is a typo or abuse, refused with a 400.
PRICING_MAX_LINE_QUANTITY = read("PRICING_MAX_LINE_QUANTITY", env.int, default=999)
PRICING_MAX_LINES = read("PRICING_MAX_LINES", env.int, default=100)
#: Demand-based experiment rules count units sold in orders of the last N days.
PRICING_DEMAND_WINDOW_DAYS = read("PRICING_DEMAND_WINDOW_DAYS", env.int, default=7)
# Pricing out of process (docs/pricing-service.md): with PRICING_SERVICE_URL
# (e.g. http://127.0.0.1:8001) pricing.api calls pricing's own service, which
# is this codebase started with SERVE=pricing. Both sides share the secret.
PRICING_SERVICE_URL = read("PRICING_SERVICE_URL", env.str, default="")
PRICING_SERVICE_SECRET = read("PRICING_SERVICE_SECRET", env.str, default="")
if (PRICING_SERVICE_URL or SERVE == "pricing") and len(PRICING_SERVICE_SECRET) < 32:
    raise ConfigurationError(
        "PRICING_SERVICE_SECRET", "needs at least 32 characters to call or serve pricing"
    )
if PRICING_SERVICE_URL and SERVE == "pricing":
    raise ConfigurationError("PRICING_SERVICE_URL", "the pricing service would call itself")
# Per attempt, in seconds; idempotent calls are retried PRICING_SERVICE_RETRIES
# times after a pause of PRICING_SERVICE_RETRY_BACKOFF (doubling).
PRICING_SERVICE_CONNECT_TIMEOUT = read("PRICING_SERVICE_CONNECT_TIMEOUT", env.float, default=0.5)
PRICING_SERVICE_TIMEOUT = read("PRICING_SERVICE_TIMEOUT", env.float, default=2.0)
PRICING_SERVICE_RETRIES = read("PRICING_SERVICE_RETRIES", env.int, default=2)
PRICING_SERVICE_RETRY_BACKOFF = read("PRICING_SERVICE_RETRY_BACKOFF", env.float, default=0.05)
# This many failed attempts in a row open the breaker: calls fail at once for
# the cooldown (seconds), then one probe call tries the service again.
PRICING_SERVICE_BREAKER_FAILURES = read("PRICING_SERVICE_BREAKER_FAILURES", env.int, default=5)
PRICING_SERVICE_BREAKER_COOLDOWN = read("PRICING_SERVICE_BREAKER_COOLDOWN", env.float, default=10.0)

# --- Recommendations --------------------------------------------------------
# A pair of products is "bought together" from this many orders holding both.
RECOMMENDATIONS_MIN_SUPPORT = read("RECOMMENDATIONS_MIN_SUPPORT", env.int, default=2)
# Products in a row of suggestions (product page, cart, REST).
RECOMMENDATIONS_ROW_SIZE = read("RECOMMENDATIONS_ROW_SIZE", env.int, default=8)
# Products remembered per visitor for "recently viewed".
RECOMMENDATIONS_RECENTLY_VIEWED = read("RECOMMENDATIONS_RECENTLY_VIEWED", env.int, default=8)
# The nightly full recompute of co-purchase counts runs at this hour (UTC).
RECOMMENDATIONS_RECOMPUTE_HOUR = read("RECOMMENDATIONS_RECOMPUTE_HOUR", env.int, default=3)

# --- Orders -----------------------------------------------------------------
# Card payments are captured as soon as they are authorised; with 0, staff
# capture them (admin action), e.g. when the parcel leaves.
ORDERS_AUTO_CAPTURE = read("ORDERS_AUTO_CAPTURE", config.boolean, default=True)
# The sandbox provider signs its webhooks with this (HMAC-SHA256).
ORDERS_SANDBOX_WEBHOOK_SECRET = read(
    "ORDERS_SANDBOX_WEBHOOK_SECRET", env.str, default=f"sandbox-webhooks:{SECRET_KEY}"
)
# How long an Idempotency-Key is remembered (and a purge runs every hour).
ORDERS_IDEMPOTENCY_TTL_HOURS = read("ORDERS_IDEMPOTENCY_TTL_HOURS", env.int, default=24)
# The catalog keeps no weights yet: every item counts as this much.
ORDERS_DEFAULT_ITEM_WEIGHT_KG = read("ORDERS_DEFAULT_ITEM_WEIGHT_KG", env.str, default="0.5")
# How long checkout holds the cart's stock (inventory reservation).
ORDERS_CHECKOUT_HOLD_MINUTES = read("ORDERS_CHECKOUT_HOLD_MINUTES", env.int, default=15)
# Placing an order takes seconds; a cart claimed for placing longer ago than
# this was left by a process that died, and another submission may take over.
ORDERS_PLACING_CLAIM_TIMEOUT = read("ORDERS_PLACING_CLAIM_TIMEOUT", env.int, default=120)

# --- Reviews ----------------------------------------------------------------
#: Reviews one customer may write or edit per hour (pages and API alike).
REVIEWS_WRITES_PER_HOUR = read("REVIEWS_WRITES_PER_HOUR", env.int, default=10)
# --- Operations: health, metrics, tracing, logging ---------------------------
# docs/operations.md. /readyz gives each dependency this long to answer.
READINESS_TIMEOUT_SECONDS = read("READINESS_TIMEOUT_SECONDS", env.float, default=1.5)
# When set, /metrics answers only "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = read("METRICS_TOKEN", env.str, default="")
# A Celery worker serves its own metrics on this port when set (0: off).
METRICS_WORKER_PORT = config.worker_metrics_port("METRICS_WORKER_PORT")
# Traces are exported only when an OTLP endpoint is configured; otherwise
# OpenTelemetry is not even imported.
TRACING_ENABLED = bool(read("OTEL_EXPORTER_OTLP_ENDPOINT", env.str, default=""))
TRACING_SERVICE_NAME = read("OTEL_SERVICE_NAME", env.str, default="commerce")
# JSON lines for a log collector, or text for a person; JSON unless DEBUG.
LOG_FORMAT = read("LOG_FORMAT", env.str, default="text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ConfigurationError("LOG_FORMAT", f"{LOG_FORMAT!r} is neither json nor text")
LOGGING = logging_config(log_format=LOG_FORMAT, level=read("LOG_LEVEL", env.str, default="INFO"))
# Workers log through LOGGING above (JSON lines, request ids) instead of
# Celery replacing the root logger's handlers with its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Celery and the beat schedule -------------------------------------------
# No broker configured: tasks run eagerly in the calling process, which is
# what the embedded default wants (nothing to install, nothing to start).
CELERY_BROKER_URL = config.broker("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...so every task must be idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the hard time limit: a slow task is not redelivered while it runs.
    "visibility_timeout": 3600,
    # A broker that does not answer must not hold a customer's request.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_DEFAULT_QUEUE = "commerce"
# One queue per context (docs/splitting.md): its event deliveries (routed by
# kernel.tasks) and its own tasks, so its workers scale and deploy on their
# own (`celery -A commerce worker -Q pricing`). The kernel's relay and purge
# stay on "commerce". A worker started without -Q consumes every queue.
_CONTEXT_QUEUES = [*BOUNDED_CONTEXTS, "storefront"]
CELERY_TASK_QUEUES = [Queue(name) for name in [CELERY_TASK_DEFAULT_QUEUE, *_CONTEXT_QUEUES]]
CELERY_TASK_ROUTES = {f"{name}.tasks.*": {"queue": name} for name in _CONTEXT_QUEUES}
# Every periodic task in one table (run exactly one beat process); the
# intervals are the kernel's and the contexts' settings above.
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {
        "task": "kernel.tasks.relay_outbox",
        "schedule": schedule(OUTBOX_RELAY_INTERVAL_SECONDS),
        "options": {"expires": OUTBOX_RELAY_INTERVAL_SECONDS * 2},
    },
    "outbox-purge": {"task": "kernel.tasks.purge_outbox", "schedule": schedule(24 * 3600)},
    "inventory-purge-reservations": {
        "task": "inventory.tasks.purge_expired_reservations",
        "schedule": schedule(INVENTORY_PURGE_INTERVAL_SECONDS),
        "options": {"expires": INVENTORY_PURGE_INTERVAL_SECONDS},
    },
    # Expired Idempotency-Keys (ORDERS_IDEMPOTENCY_TTL_HOURS), hourly.
    "orders-idempotency-purge": {
        "task": "orders.tasks.purge_idempotency_keys",
        "schedule": schedule(3600),
    },
    "accounts-app-tokens-purge": {
        "task": "accounts.tasks.purge_expired_app_tokens",
        "schedule": schedule(24 * 3600),
    },
    # Co-purchase counts rebuilt from the stored baskets, nightly: the
    # incremental counts' safety net (docs/recommendations.md).
    "recommendations-recompute": {
        "task": "recommendations.tasks.recompute_copurchases",
        "schedule": crontab(minute=17, hour=RECOMMENDATIONS_RECOMPUTE_HOUR),
    },
}

# --- Security: hostile input, brute force, headers ---------------------------
# The threat model, the values and how staff unlock an account: docs/security.md.

# Hostile input is refused at the edge (kernel/edge.py, kernel/parsers.py).
EDGE_API_PATH_PREFIX = "/api/"  # refusals there answer in the API's error format
EDGE_MAX_URL_LENGTH = read("EDGE_MAX_URL_LENGTH", env.int, default=2048)
EDGE_MAX_JSON_DEPTH = read("EDGE_MAX_JSON_DEPTH", env.int, default=32)
# Bodies a shop needs are small (file uploads are streamed and not counted).
DATA_UPLOAD_MAX_MEMORY_SIZE = read("MAX_REQUEST_BODY_BYTES", env.int, default=512 * 1024)

# Brute force on sign-in (storefront and admin): django-axes locks out a user
# name, and separately an address, after LOGIN_FAILURE_LIMIT failures, for
# LOGIN_COOLOFF_MINUTES. Staff unlock in the admin (Axes > Access attempts) or
# with `manage.py axes_reset_username <e-mail>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = read("LOGIN_FAILURE_LIMIT", env.int, default=5)
LOGIN_COOLOFF_MINUTES = read("LOGIN_COOLOFF_MINUTES", env.int, default=15)
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "kernel.throttle.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kernel.throttle.lockout_response"
# Behind N reverse proxies the client's address is the N-th from the right
# of X-Forwarded-For; directly exposed (0), it is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = read("TRUSTED_PROXY_COUNT", env.int, default=0)
AXES_CLIENT_IP_CALLABLE = "kernel.throttle.client_ip"
# Sign-up and password-reset requests per client address and hour
# (kernel/throttle.py): each sends mail or creates an account.
SIGN_UP_LIMIT_PER_HOUR = read("SIGN_UP_LIMIT_PER_HOUR", env.int, default=10)
PASSWORD_RESET_LIMIT_PER_HOUR = read("PASSWORD_RESET_LIMIT_PER_HOUR", env.int, default=5)

# Response headers. The Content-Security-Policy allows no inline script:
# scripts come from our origin, or carry the request's nonce. CSP_REPORT_ONLY=1
# sends it as Content-Security-Policy-Report-Only (to try a change safely).
_CSP = content_security_policy(report_uri=read("CSP_REPORT_URI", env.str, default=""))
if read("CSP_REPORT_ONLY", config.boolean, default=False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(self), usb=()"
