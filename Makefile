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
# The database task queue's worker runs beside gunicorn (dashboard figures refresh after each write) and stops with it.
WITH_WORKER = sh -c '$(PY) manage.py db_worker --no-reload -v0 & w=$$!; trap "kill $$w 2>/dev/null" EXIT INT TERM; "$$@"' --

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
	POSYANTEK_LOCAL=1 $(WITH_WORKER) $(GUNICORN) --access-logfile -

serve: install var/static/staticfiles.json
	POSYANTEK_LOCAL=1 $(WITH_WORKER) $(GUNICORN)

lint: install-dev
	$(UV) run --frozen --no-sync ruff check .
	$(UV) run --frozen --no-sync ruff format --check .

check-scoping:
	@python3 bin/check_scoping.py

test: install-dev lint check-scoping
	$(PY) manage.py check --fail-level WARNING --settings=config.test_settings
	$(PY) manage.py makemigrations --check --dry-run --settings=config.test_settings
	$(UV) run --frozen --no-sync pytest $(PYTEST_ARGS)

# Every benchmark (several hours, about 60 GB of disk at the peak), one after the other, each writing its rows to
# bench/out/<name>.json; then ONE table of figure, target, measured, ratio, pass/fail in bench/results.md (a bench
# that failed to run says "not run"). Exit 1 when a figure misses its target.
BENCHES := bench-hello bench-import bench-search bench-requests bench-orders bench-finance bench-replication \
	bench-contests bench-national
bench: install-dev
	$(PY) bench/results.py --clear
	@for b in $(BENCHES); do $(MAKE) --no-print-directory $$b || echo "$$b: FAILED (see above)"; done
	$(PY) bench/results.py --check

# Issue 1–3: the region page, post list and catalogue search against hello-world, and load_regions (bench/run.py).
.PHONY: bench-hello bench-import bench-requests bench-national
bench-hello: install-dev
	$(PY) bench/run.py

# Issue 3: the import of a 10,000-row TTG register.
bench-import: install-dev
	$(PY) bench/import_bench.py

# Issue 4: a post's request list with 1,000,000 requests and 20 concurrent public submitters (bench/requests_bench.py).
bench-requests: install-dev
	$(PY) bench/requests_bench.py --db both $(BENCH_ARGS)

# Issue 9: the national data set (generate_national, kept: /tmp/national_sqlite and PostgreSQL national_pg) and the
# dashboard pages at that scale against hello-world (bench/national_bench.py; NATIONAL_ARGS="--reuse ..." to reuse).
bench-national: install-dev
	$(PY) bench/national_bench.py --db both $(NATIONAL_ARGS)

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
