# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test bench drills secrets lint format install install-dev messages browsers clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=/path/to/python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate, seed, then web + worker + beat on HOST:PORT (default 127.0.0.1:8000;
## `make run PORT=9000`). It prints the address it serves; Ctrl-C stops all three.
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed
	$(PY) -m tracker.run

## make test: the whole default suite (pytest, in a random order: no test may depend on another's
## leftovers; pytest-randomly prints the seed, PYTEST_ADDOPTS=--randomly-seed=N replays an order),
## on every core (pytest-xdist; WORKERS=0 runs it in one process), then the 15 slowest tests.
## .ci/run also runs it against PostgreSQL and Redis.
WORKERS ?= auto
# Bytecode is kept (in git-ignored __pycache__/) even where PYTHONDONTWRITEBYTECODE is set: else
# every process of the run (the workers, each child a test starts) compiles every module again,
# and pytest rewrites every test module's asserts again (2 of the 5.5 CPU seconds of a collection).
test: install-dev
	$(PY) -m ruff check .
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(WORKERS) --durations=15

## make drills: the fault drills against real PostgreSQL, Redis, Celery, aiosmtpd (slow; CI runs them),
## in the order they are written, so that their figures compare from run to run.
DRILLS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/drills
drills: install-dev
	DATABASE_URL=$${DATABASE_URL:-$(DRILLS_DATABASE_URL)} $(PY) -m pytest drills --ds=drills.settings -s -p no:randomly -o python_classes='*Drill' -o testpaths=drills $(PYTEST_ARGS)

## make bench: the benchmarks (slow; not part of make test).
bench: install-dev
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script; done

## make secrets: no credential in the tracked files (detect-secrets; audited examples in .secrets.baseline).
# The hook runs on a copy of the baseline: its exit status 3 only means that audited
# examples moved to other lines, which is no finding; 1 means a new secret.
secrets: install-dev
	@baseline=$$(mktemp); cp .secrets.baseline $$baseline; status=0; \
	detect-secrets-hook --baseline $$baseline $$(git ls-files | grep -vE '^(locale/.*\.mo|tests/fixtures/|\.secrets\.baseline$$)') || status=$$?; \
	rm -f $$baseline; \
	if [ $$status -eq 3 ]; then echo "secrets: no new secret (audited examples moved; refresh with: detect-secrets scan --baseline .secrets.baseline)"; status=0; fi; \
	exit $$status

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## make messages: extract every string into locale/*/django.po, then compile the .mo files the
## project ships (needs GNU gettext: apt-get install gettext). Translate the new msgstr first.
messages: install-dev
	$(PY) manage.py makemessages --all --no-obsolete --ignore=$(VENV) --ignore=tests --ignore=bench --ignore=var --ignore=staticfiles --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=$(VENV)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
