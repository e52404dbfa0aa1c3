# The two commands: `make run` (embedded shop on 127.0.0.1:8000) and
# `make test` (every check and both test runs). Both set themselves up from
# a fresh clone with nothing but Python 3.11 (and npm for the test tools).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Every pytest run reports its slowest tests, to keep `make test` in CI's budget.
PYTEST := $(BIN)/pytest -p no:cacheprovider -q --durations=15
# Where `make run` serves; `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

# The PostgreSQL + Redis run of the suite (services as on the CI machine).
PG_URL ?= postgres://postgres@127.0.0.1:5432/commerce
REDIS_URL ?= redis://127.0.0.1:6379/0

# Split mode: every context in its own database and role (docs/splitting.md),
# its own Redis database for the worker tests (the PostgreSQL run uses REDIS_URL's).
SPLIT_PREFIX ?= commerce_split
SPLIT_REDIS_URL ?= redis://127.0.0.1:6379/1
# What `make pytest-split` runs: empty means the whole suite (every context in
# its own database); name test paths for a subset: `make pytest-split SPLIT_TESTS=tests/test_split_mode.py`.
SPLIT_TESTS ?=
# Part of the split suite: `make pytest-split SPLIT_SHARD=2/3` runs every third
# test from the second (TEST_SHARD, tests/shards.py), to spread it over machines.
SPLIT_SHARD ?=

.PHONY: run run-split test check schema contract pytest-postgres pytest-sqlite pytest-split messages \
	lane-postgres lane-sqlite services bench bench-scale bench-split clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	DEBUG=1 $(MANAGE) migrate_all
	DEBUG=1 $(MANAGE) seed_demo --if-empty
	@echo
	@echo "  Storefront: http://127.0.0.1:$(PORT)/  (in German: http://127.0.0.1:$(PORT)/de/)"
	@echo "  Admin:      http://127.0.0.1:$(PORT)/admin/  (staff user: admin; its password was"
	@echo "              printed when the demo data was first created; reset it with"
	@echo "              $(MANAGE) changepassword admin)"
	@echo "  API docs:   http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

# The shop as separate processes on one machine, pricing out of process:
# web, pricing's own service, a Celery worker and beat (Procfile, run by
# honcho) on PostgreSQL and Redis (docs/pricing-service.md). Settings such
# as DATABASE_URL, REDIS_URL, WEB_PORT and PRICING_PORT come from the
# environment; scripts/run-split lists them.
run-split: $(VENV)/.dev services
	scripts/run-split

check: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --config importlinter.ini
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	@# The committed schema is the one the code generates (`make schema` updates it).
	@tmp=$$(mktemp) && $(MANAGE) spectacular --validate --fail-on-warn --file $$tmp \
		&& diff -u docs/openapi.yaml $$tmp; status=$$?; rm -f $$tmp; \
		if [ $$status -ne 0 ]; then echo "docs/openapi.yaml is stale: run make schema"; fi; \
		exit $$status

# Only the API against its own schema with schemathesis (docs/api.md); it is
# also part of pytest-postgres, so `make test` runs it.
contract: $(VENV)/.dev services
	DATABASE_URL=$(PG_URL) TEST_REDIS_URL=$(REDIS_URL) REQUIRE_SERVICES=1 \
		$(PYTEST) tests/test_api_contract.py

# docs/openapi.yaml, regenerated from the code (docs/api.md).
schema: $(VENV)/.dev
	$(MANAGE) spectacular --validate --fail-on-warn --file docs/openapi.yaml

# The German catalogue after words were added or changed: new msgids into
# locale/de/LC_MESSAGES/django.po (translate them there), then the committed
# django.mo compiled from it. Needs Debian's gettext (docs/storefront.md).
messages: $(VENV)/.runtime
	PYTHON=$(BIN)/python scripts/messages

services:
	@scripts/ensure-services

# The browser tests' tools from the npm registry (axe-core), at the versions
# package-lock.json pins; node_modules/ is git-ignored. `npm ci` touches
# node_modules/.package-lock.json, so this reruns only when the lock changes.
AXE := node_modules/.package-lock.json
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

pytest-postgres: $(VENV)/.dev $(AXE) services
	DATABASE_URL=$(PG_URL) TEST_REDIS_URL=$(REDIS_URL) REQUIRE_SERVICES=1 \
		$(PYTEST)

# The PostgreSQL suite with every context in its own database, connected as
# its own role (scripts/split-databases creates them, idempotently).
pytest-split: $(VENV)/.dev $(AXE) services
	env $$(scripts/split-databases $(SPLIT_PREFIX)) TEST_REDIS_URL=$(SPLIT_REDIS_URL) \
		TEST_SHARD=$(SPLIT_SHARD) REQUIRE_SERVICES=1 $(PYTEST) $(SPLIT_TESTS)

# `make test`'s two lanes, one per core, about as long as each other
# (docs/testing.md): the PostgreSQL suite; the SQLite suite, then the split suite.
lane-postgres:
	$(MAKE) --no-print-directory pytest-postgres

lane-sqlite:
	$(MAKE) --no-print-directory pytest-sqlite ONLY_DATABASE_TESTS=1
	$(MAKE) --no-print-directory pytest-split

# ONLY_DATABASE_TESTS=1 (as `make test` runs it) leaves out the tests that use no
# database and the browser tests: the PostgreSQL run has them (ADR 0021).
ONLY_DATABASE_TESTS ?=
pytest-sqlite: $(VENV)/.dev $(AXE)
	ONLY_DATABASE_TESTS=$(ONLY_DATABASE_TESTS) $(PYTEST) -m "not services"

# The two lanes run side by side (one per core); --output-sync keeps each
# lane's report in one piece. The npm tools are
# installed first, once: both suites need them, and two `npm ci` at the same
# time in one directory would race.
test: check $(AXE)
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target \
		lane-postgres lane-sqlite

# Every benchmark (bench/run.py); each uses only its own scratch databases
# (BENCH_DATABASE_URL) and Redis keys (BENCH_REDIS_URL): see bench/scratch.py.
# The surge benchmark drives the servers with Debian's wrk.
bench: $(VENV)/.dev services
	@command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

# At 100,000 products: search with facets (p95 target 50 ms), and the
# import (5 minutes, 300 MB); about 15 minutes, not part of `make bench`.
bench-scale: $(VENV)/.dev services
	status=0; $(BIN)/python bench/search_scale.py || status=1; \
	BENCH_IMPORT_PRODUCTS=100000 $(BIN)/python bench/import_catalog.py || status=1; \
	exit $$status

# Product page and checkout latency with pricing in process and out of
# process (docs/pricing-service.md); a few minutes, not part of `make bench`.
bench-split: $(VENV)/.dev services
	$(BIN)/python bench/pricing_split.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media node_modules artifacts
