# The two commands: `make run` (embedded shop on 127.0.0.1:8000) and
# `make test` (every check and both test runs). Both set themselves up from
# a fresh clone with nothing but Python 3.11.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# The PostgreSQL + Redis run of the suite (services as on the CI machine).
PG_URL ?= postgres://postgres@127.0.0.1:5432/commerce
REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run run-split test check schema contract pytest-postgres pytest-sqlite services bench bench-split clean

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
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) seed_demo --if-empty
	@echo
	@echo "  Storefront: http://127.0.0.1:8000/"
	@echo "  Admin:      http://127.0.0.1:8000/admin/  (staff user: admin; its password was"
	@echo "              printed when the demo data was first created; reset it with"
	@echo "              $(MANAGE) changepassword admin)"
	@echo "  API docs:   http://127.0.0.1:8000/api/v1/docs/"
	@echo
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

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

# The API against its own schema with schemathesis (docs/api.md), a few minutes.
contract: $(VENV)/.dev
	API_CONTRACT=1 $(BIN)/pytest -p no:cacheprovider -q tests/test_api_contract.py

# docs/openapi.yaml, regenerated from the code (docs/api.md).
schema: $(VENV)/.dev
	$(MANAGE) spectacular --validate --fail-on-warn --file docs/openapi.yaml

services:
	@scripts/ensure-services

pytest-postgres: $(VENV)/.dev services
	DATABASE_URL=$(PG_URL) TEST_REDIS_URL=$(REDIS_URL) REQUIRE_SERVICES=1 \
		$(BIN)/pytest -p no:cacheprovider -q

pytest-sqlite: $(VENV)/.dev
	$(BIN)/pytest -p no:cacheprovider -q -m "not services"

# The two suites run side by side (one per core); --output-sync keeps each
# suite's report in one piece.
test: check
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target pytest-postgres pytest-sqlite

# Every benchmark (bench/run.py); each uses only its own scratch databases
# (BENCH_DATABASE_URL) and Redis keys (BENCH_REDIS_URL): see bench/scratch.py.
# The surge benchmark drives the servers with Debian's wrk.
bench: $(VENV)/.dev services
	@command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

# Product page and checkout latency with pricing in process and out of
# process (docs/pricing-service.md); a few minutes, not part of `make bench`.
bench-split: $(VENV)/.dev services
	$(BIN)/python bench/pricing_split.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media
