# The README's two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHROMIUM := /usr/bin/chromium

.PHONY: run test test-fast setup install browser lint format bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ krävs"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Migrate the database (SQLite in data/ unless DASHBOARD_DATABASE_URL says otherwise)
## and load the demo data if it is empty.
setup: install
	$(BIN)/python -m dashboard setup

## Start the app on http://localhost:8501
run: setup
	$(BIN)/python -m dashboard.server app.py --server.port 8501 --server.address 0.0.0.0

## Debian's Chromium for the browser tests (never `playwright install`, which downloads), and
## Debian's nginx for the deployment test through the proxy (tests/browser/test_proxy.py).
browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-color-emoji nginx; \
	  else \
	    echo "Chromium eller nginx saknas: installera paketen (sudo apt-get install chromium" \
	         "nginx); webbläsartesterna respektive proxytestet hoppas över utan dem."; \
	  fi; \
	fi

## Every test: unit, data (SQLite, and PostgreSQL: DASHBOARD_TEST_POSTGRES_URL, else 127.0.0.1:5432),
## AppTest pages and browser tests.
test: setup browser
	$(BIN)/python -m pytest

## The edit-test loop, under a minute: the unit and data tests (tests/unit, tests/data) on
## SQLite only, on every core. No PostgreSQL, AppTest or browser: `make test` runs those.
test-fast: install
	$(BIN)/python -m pytest -n auto --dist loadscope -m "(unit or data) and not postgres"

## The performance benchmark (docs/performance.md): the national-scale demo on SQLite and, where
## it answers, PostgreSQL; one table on the terminal, the same figures in bench-results/.
## Options go in BENCH_ARGS, e.g. make bench BENCH_ARGS="--compare bench-results/bench-….json".
bench: install browser
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data test-artifacts .pytest_cache
