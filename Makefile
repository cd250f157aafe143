# StandardForge: two commands for people, the rest are steps they are made of.
#
#   make run    set up, migrate, load the demo into an empty database, serve on 127.0.0.1:$(PORT)
#   make test   the same set-up plus dev dependencies and system packages, then ruff and pytest
#
# Stamp files under .venv/ keep repeated runs quick: a step runs again only when its inputs change.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT
# Playwright drives Debian's /usr/bin/chromium; it must never download its own browser
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export FLASK_APP := wsgi

#: system packages the tests need: the browser, CJK fonts, PDF tools, LibreOffice (DOCX checks), and wrk
#: (the load generator of bench/bench_pages.py), postgresql-client (pg_dump and pg_restore for `flask backup`)
APT_PACKAGES := chromium fonts-noto-cjk poppler-utils libreoffice-writer-nogui libreoffice-math-nogui wrk postgresql-client
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
FRONTEND_SOURCES := $(wildcard package.json package-lock.json frontend/*.js frontend/**/*.js)

.PHONY: run test setup setup-dev assets translations compile-translations migrate demo serve lint system-packages clean

run: setup migrate demo serve

#: pytest workers (pytest-xdist); each has its own PostgreSQL schema and SQLite files. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2

test: setup-dev system-packages
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS)

# -- set-up ------------------------------------------------------------------------------------

setup: $(VENV)/.stamp-install compile-translations assets

setup-dev: setup $(VENV)/.stamp-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.stamp-install: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-install setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

compile-translations: $(MO_FILES)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.stamp-install
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Extract every UI string of every package and template, and merge new ones into the catalogs;
# then translate the empty msgstr entries in translations/zh_Hans_CN/LC_MESSAGES/messages.po.
translations: $(VENV)/.stamp-install
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --width 110

# Front-end bundles (the editor's CodeMirror pane), from the npm registry at build time, when node is here.
assets: static/build/.stamp

static/build/.stamp: $(FRONTEND_SOURCES)
	@if [ ! -f package.json ]; then exit 0; fi; \
	if command -v npm >/dev/null 2>&1 && npm ci --no-audit --no-fund && npm run build; then \
		mkdir -p static/build && touch $@; \
	elif ls static/build/*.js >/dev/null 2>&1; then \
		echo "warning: could not build the front-end bundles (node/npm missing or offline); using those in static/build"; \
	else \
		echo "error: the front-end bundles need node and npm (apt-get install nodejs npm)"; exit 1; \
	fi

# Debian packages, installed only when missing and only when we can (root with apt-get).
system-packages: $(VENV)/.stamp-apt

$(VENV)/.stamp-apt: Makefile
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then touch $@; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing && touch $@; \
	else \
		echo "warning: missing system packages:$$missing (install them with apt-get as root)"; \
	fi

# -- the demo ----------------------------------------------------------------------------------

# DEMO=1: a secret key generated once into instance/, cookies over plain http, invitation links on 127.0.0.1
migrate: setup
	DEMO=1 $(BIN)/flask db upgrade

demo: migrate
	@DEMO=1 $(BIN)/flask demo

serve:
	@echo "StandardForge serves on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	DEMO=1 $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - 'wsgi:create_app()'

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) static/build/.stamp test-artifacts .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
