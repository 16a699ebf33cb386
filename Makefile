# Posyantek: `make demo` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
PY := $(UV) run --frozen --no-sync python
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core

.PHONY: demo test serve install install-dev system-libs lint check-scoping bench bench-search clean

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

uv: $(if $(shell command -v uv 2>/dev/null),,$(TOOLS)/bin/uv)

system-libs:
	@missing=""; for p in $(SYSTEM_LIBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system libraries for PDF reports:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "PDF reports need system libraries. Run:"; \
	    echo "  sudo apt-get install -y --no-install-recommends$$missing"; \
	  fi; \
	fi

install: uv system-libs
	$(UV) sync --frozen --no-dev --inexact --quiet

install-dev: uv system-libs
	$(UV) sync --frozen --quiet

# Links in e-mails (invitations, password reset) point at the demo server.
export SITE_URL ?= http://$(HOST):$(PORT)
GUNICORN := $(UV) run --frozen --no-sync gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --no-control-socket

# Collect static files only when they changed (it takes a while: the API docs' scripts are large).
STATIC_SOURCES := $(shell find static -type f 2>/dev/null) uv.lock
var/static/staticfiles.json: $(STATIC_SOURCES)
	POSYANTEK_LOCAL=1 $(PY) manage.py collectstatic --no-input -v0

demo: install
	POSYANTEK_LOCAL=1 $(PY) manage.py migrate --no-input -v0
	POSYANTEK_LOCAL=1 $(PY) manage.py load_regions
	POSYANTEK_LOCAL=1 $(PY) manage.py load_demo
	@$(MAKE) --no-print-directory var/static/staticfiles.json
	@POSYANTEK_LOCAL=1 $(PY) manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	POSYANTEK_LOCAL=1 $(GUNICORN) --access-logfile -

serve: install var/static/staticfiles.json
	POSYANTEK_LOCAL=1 $(GUNICORN)

lint: install-dev
	$(UV) run --frozen --no-sync ruff check .
	$(UV) run --frozen --no-sync ruff format --check .

check-scoping:
	@python3 bin/check_scoping.py

test: install-dev lint check-scoping
	$(PY) manage.py check --fail-level WARNING --settings=config.test_settings
	$(PY) manage.py makemigrations --check --dry-run --settings=config.test_settings
	$(UV) run --frozen --no-sync pytest $(PYTEST_ARGS)

bench: install-dev
	$(PY) bench/run.py
	$(PY) bench/import_bench.py

# The catalogue search over 1,000,000 records on SQLite and PostgreSQL (about 40 minutes, 30 GB of disk).
bench-search: install-dev
	$(PY) bench/search_bench.py $(BENCH_ARGS)

clean:
	rm -rf .venv $(TOOLS) var/static

# Issue 5: 50 buyers racing for the last 5 units (bench/orders_race.py), then a post's sales analysis for a year
# with 5,000,000 orders (bench/sales_bench.py), each on SQLite and PostgreSQL (about 20 minutes, 8 GB of disk).
.PHONY: bench-orders
bench-orders: install-dev
	$(PY) bench/orders_race.py $(RACE_ARGS)
	$(PY) bench/sales_bench.py $(BENCH_ARGS)

# Issue 6: a post's balance and year realisation with 100,000 entries, and the national realisation roll-up, with
# 10,000,000 cash-book entries in the country (bench/finance_bench.py), on SQLite and PostgreSQL.
.PHONY: bench-finance
bench-finance: install-dev
	$(PY) bench/finance_bench.py $(BENCH_ARGS)

# Issue 7: the replication progress page of a province with 1,000 posts and 30 checklist steps each
# (bench/replication_bench.py), against hello-world in the same run, on SQLite and PostgreSQL (about 3 minutes).
.PHONY: bench-replication
bench-replication: install-dev
	$(PY) bench/replication_bench.py --db both $(BENCH_ARGS)

# Issue 8: an edition with 7,285 entries, 30 indicators and 5 judges (1,092,750 locked scores): the full ranking with
# normalisation, and the public ranking page against hello-world in the same run (bench/contests_bench.py), on SQLite
# and PostgreSQL.
.PHONY: bench-contests
bench-contests: install-dev
	$(PY) bench/contests_bench.py --db both $(BENCH_ARGS)
