# AKM Reja: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The PostgreSQL the suite runs against a second time (pytest-django creates test_akm in it).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/akm

.PHONY: run test test-sqlite test-postgres browser messages lint bench

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

run: $(VENV)/.base-installed .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the browser tests; installed when missing and we may (root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: browser tests will be skipped (sudo apt-get install chromium)."; fi; }

test: $(VENV)/.dev-installed .env browser
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: $(VENV)/.dev-installed .env
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev-installed .env
	DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

# Regenerate the translation catalogues (one at a time: the lock keeps runs from overlapping).
messages: $(VENV)/.dev-installed
	flock locale/.lock $(PY) manage.py makemessages --no-obsolete --no-location -l uz -l ru -l en -i '.venv/*' -i 'tests/*' -i 'staticfiles/*'
	flock locale/.lock $(PY) manage.py compilemessages -i .venv
