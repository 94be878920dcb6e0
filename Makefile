# AKM Reja: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Where `make run` serves the demo: http://127.0.0.1:$(PORT)/
PORT ?= 8000
# The PostgreSQL the suite runs against a second time (pytest-django creates test_akm in it).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/akm

.PHONY: run test test-sqlite test-postgres browser libreoffice messages lint bench serve backup restore

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@ $(VENV)/.base-installed

.env:
	cp .env.example .env

# The demo: the database, the 2024 plan and its people, today's reminders; then the site, and beside it
# the queue's worker with its scheduler (README, "Notices"), stopped when the site stops. The worker
# runs in a session of its own, so Ctrl-C reaches it once, from the trap, and it stops gracefully.
run: $(VENV)/.base-installed .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py send_reminders
	setsid $(PY) manage.py run_huey --flush-locks --max-delay 1 & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production (README, "Deploying"): DEBUG off and settings from the environment; SECRET_KEY and
# ALLOWED_HOSTS are required, the settings refuse to start without them. GUNICORN_BIND and
# WEB_CONCURRENCY choose the address and the number of workers (gunicorn.conf.py).
serve: export DEBUG := 0
serve: export CONN_MAX_AGE ?= 60
serve: $(VENV)/.base-installed
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	exec $(VENV)/bin/gunicorn --config gunicorn.conf.py

# A timestamped backup in backups/ (pg_dump on PostgreSQL, a consistent copy on SQLite).
backup: $(VENV)/.base-installed
	$(PY) manage.py backup

# Replaces the database's contents with FILE, after asking; stop the application servers first.
restore: $(VENV)/.base-installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/akm-reja-....pgdump"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

# Debian's Chromium for the browser tests; installed when missing and we may (root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: browser tests will be skipped (sudo apt-get install chromium)."; fi; }

# LibreOffice without its desktop, for the month sheet as LibreOffice saves it; the same way.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui; \
	  else echo "LibreOffice is missing: its tests will be skipped (sudo apt-get install libreoffice-calc-nogui)."; fi; }

test: $(VENV)/.dev-installed .env browser libreoffice
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: $(VENV)/.dev-installed .env
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev-installed .env
	DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest $(PYTEST_ARGS)

# ruff, and models that would need a migration nobody wrote.
lint: $(VENV)/.dev-installed .env
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate the translation catalogues (one at a time: the lock keeps runs from overlapping);
# the Uzbek Cyrillic ones (uz_Cyrl) are made from the Latin ones, never edited (README, "Uzbek Cyrillic").
messages: $(VENV)/.dev-installed
	flock locale/.lock $(PY) manage.py makemessages --no-obsolete --no-location -l uz -l ru -l en -i '.venv/*' -i 'tests/*' -i 'staticfiles/*'
	flock locale/.lock $(PY) manage.py cyrillic_catalogue
	flock locale/.lock $(PY) manage.py compilemessages -i .venv

# Server time of the main pages with 1 and with BENCH_CENTRES (default 200) centres of synthetic
# data; writes tests/bench/results-<db>.md. SQLite in a temporary file by default; PostgreSQL with
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/akm_bench (a database for the bench only: it is
# dropped and created again). A quick run: make bench BENCH_CENTRES=20 BENCH_RUNS=10 BENCH_REGIONS=2.
# national.py adds the national scale (BENCH_REGIONS regions, default 14, of 13–15 districts) to that file.
bench: $(VENV)/.dev-installed .env
	$(PY) tests/bench/run.py
	$(PY) tests/bench/national.py
	$(PY) tests/bench/reports.py
	$(PY) tests/bench/load.py
	$(PY) tests/bench/slowline.py
	$(PY) tests/bench/notices.py
