# The two commands: `make run` (set up and serve the portal with demo data) and
# `make test` (set up, lint, check and run the whole suite on PostgreSQL, browser included).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/smederijen
# Development settings for the local commands; production sets its own environment (README).
DEV := DJANGO_DEBUG=1
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=node_modules
PO := locale/nl/LC_MESSAGES/django.po

.PHONY: help run test install install-test venv lint migrations-check messages messages-check \
        compilemessages system-deps db-check lock clean bench

help:
	@echo "make run   - set up, migrate, load demo data and serve on http://127.0.0.1:8000/"
	@echo "make test  - set up, lint, check migrations and translations, run all tests on PostgreSQL"
	@echo "make messages - update locale/nl after changing texts; make lock - re-pin dependencies"
	@echo "make bench - build 10,000 ideas on PostgreSQL and measure the key pages under load"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python

# Installs are reproducible: every package, transitive ones included, is pinned with its hash.
$(VENV)/.installed-run: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-test: requirements-test.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@ $(VENV)/.installed-run

# Development settings for plain `manage.py` calls in this checkout (never copied to production).
.env:
	@printf '# Local development settings, made by make (not committed). See README: Configuration.\nDJANGO_DEBUG=1\n' > $@
	@echo "Wrote .env with DJANGO_DEBUG=1 for local development."

install: $(VENV)/.installed-run .env
install-test: $(VENV)/.installed-test .env

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py createcachetable
	@# The compiled catalogue is committed; recompile it when gettext is there.
	@if command -v msgfmt >/dev/null; then $(DEV) $(BIN)/python manage.py compilemessages -l nl $(MESSAGES_IGNORE) >/dev/null; fi
	$(DEV) $(BIN)/python manage.py load_demo_data
	@echo ""
	@echo "De Smederijen runs at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/beheer/)"
	@echo "Stop the server with Ctrl+C."
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Chromium (browser tests) and gettext (translations) come from the system.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || [ -x "$${SMEDERIJEN_CHROMIUM:-/usr/bin/chromium}" ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing with apt-get ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	      || { echo "Could not install$$missing: run 'sudo apt-get install$$missing' and try again."; exit 1; }; \
	  else \
	    echo "Missing system packages:$$missing. Install them with 'sudo apt-get install$$missing' and run make test again."; exit 1; \
	  fi; \
	fi

# ruff, and the import contract: the apps import one way (pyproject.toml [tool.importlinter]).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

migrations-check: install-test
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

messages: install-test
	$(DEV) $(BIN)/python manage.py makemessages -l nl --no-location --no-obsolete $(MESSAGES_IGNORE)
	@echo "Now translate the new entries in $(PO) (no empty msgstr, no fuzzy) and run make test."

# The Dutch catalogue must cover every text: fails when a text has no (or only a fuzzy) translation.
messages-check: install-test system-deps
	@$(DEV) $(BIN)/python manage.py makemessages -l nl --no-location --no-obsolete $(MESSAGES_IGNORE) >/dev/null
	@untranslated=$$(msgattrib --untranslated --no-obsolete $(PO) | grep -c '^msgid ' || true); \
	fuzzy=$$(msgattrib --only-fuzzy --no-obsolete $(PO) | grep -c '^msgid ' || true); \
	if [ "$${untranslated:-0}" -gt 1 ] || [ "$${fuzzy:-0}" -gt 0 ]; then \
	  echo "locale/nl is incomplete: $$(( $${untranslated:-0} > 0 ? $${untranslated:-0} - 1 : 0 )) untranslated, $$fuzzy fuzzy; run 'make messages' and translate them."; exit 1; \
	fi

compilemessages: install-test system-deps
	$(DEV) $(BIN)/python manage.py compilemessages -l nl $(MESSAGES_IGNORE)

db-check: install-test
	@DATABASE_URL=$(TEST_DATABASE_URL) $(DEV) $(BIN)/python manage.py check_database

test: install-test system-deps lint migrations-check messages-check compilemessages db-check
	DATABASE_URL=$(TEST_DATABASE_URL) $(DEV) $(BIN)/pytest -n auto

# A benchmark, not a test: 10,000 ideas on PostgreSQL, served by gunicorn, loaded with wrk.
bench: install-test db-check
	$(BIN)/python bench/run.py

# Re-pin every dependency (with hashes) from pyproject.toml. Needs network access to PyPI.
lock: venv
	$(BIN)/pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements-test.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
