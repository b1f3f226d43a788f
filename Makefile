# buildtracker — every target works on a fresh machine and is safe to run twice.
# Without DATABASE_URL the targets use an embedded throwaway PostgreSQL 15
# (127.0.0.1:$(PG_PORT), data under /tmp). With DATABASE_URL set, they use
# that server and database instead (the database must exist).

SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c

PG_BIN  ?= /usr/lib/postgresql/15/bin
PG_PORT ?= 54329
PG_DATA ?= /tmp/buildtracker-pg-$(PG_PORT)
DB_NAME ?= buildtracker
export PG_BIN PG_PORT PG_DATA

ifdef DATABASE_URL
EMBEDDED := 0
DB_URL   := $(DATABASE_URL)
else
EMBEDDED := 1
DB_URL   := postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)
endif
# sqitch spells the scheme db:pg:
SQITCH_TARGET := db:pg:$(patsubst postgres://%,//%,$(patsubst postgresql://%,//%,$(DB_URL)))

export SQITCH_FULLNAME ?= buildtracker make
export SQITCH_EMAIL ?= buildtracker@localhost
export PGCONNECT_TIMEOUT ?= 10

VENV   := .venv
PY     := $(VENV)/bin/python
PSQL   := psql -X -q -v ON_ERROR_STOP=1
SQITCH := sqitch --quiet

.PHONY: help deps db-start db-stop db-create preflight deploy revert verify demo test test-run test-fresh-db bench test-bench \
        schema test-schema \
        test-sqitch-cycle test-pgtap test-plpgsql-check test-squawk test-python lint-python clean \
        stress test-stress

help:
	@echo "make demo     deploy on an embedded PostgreSQL and show what is installed"
	@echo "make test     install what is missing and run every test"
	@echo "make stress   $(STRESS_SECONDS) s, $(STRESS_WORKERS) clients, killed sessions, a server restart (docs/RELIABILITY.md)"
	@echo "make deploy | revert | verify   sqitch against DATABASE_URL or the embedded server"
	@echo "make schema   refresh schema/claude.sql and the call registry from a fresh deploy (read your change as their diff)"
	@echo "make bench    benchmarks: ratios measured side by side (docs/BENCHMARKS.md)"
	@echo "make screenshots   the dashboard's pictures in docs/img, from the browser tests"
	@echo "make db-start | db-stop | clean"

# ---------------------------------------------------------------- set-up
deps: .deps-apt.stamp $(VENV)/.installed

.deps-apt.stamp: scripts/install_deps.sh
	scripts/install_deps.sh
	touch $@

$(VENV)/.installed: python_client/pyproject.toml python_client/constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c python_client/constraints.txt -e 'python_client[dev]'
	touch $@

db-start: .deps-apt.stamp
ifeq ($(EMBEDDED),1)
	scripts/pg_embedded.sh start
else
	@echo "using DATABASE_URL; no embedded server started"
endif

db-stop:
	scripts/pg_embedded.sh stop

db-create: db-start
ifeq ($(EMBEDDED),1)
	if [ "$$($(PSQL) -At -d 'postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres' \
	     -c "SELECT 1 FROM pg_database WHERE datname = '$(DB_NAME)'")" != 1 ]; then
	  $(PSQL) -d 'postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres' -c 'CREATE DATABASE "$(DB_NAME)"'
	fi
endif

# Stops a deploy on an unsuitable server with one clear sentence.
preflight: db-create
	$(PSQL) -d '$(DB_URL)' -f scripts/preflight.sql

# ---------------------------------------------------------------- sqitch
deploy: preflight
	$(SQITCH) deploy --verify '$(SQITCH_TARGET)'

revert: db-create
	$(SQITCH) revert -y '$(SQITCH_TARGET)'

verify: db-create
	$(SQITCH) verify '$(SQITCH_TARGET)'

# ---------------------------------------------------------------- demo
# Embedded: a throwaway database of its own, $(DB_NAME)_demo, created afresh.
demo: deps
ifeq ($(EMBEDDED),1)
	$(MAKE) --no-print-directory test-fresh-db deploy DB_NAME=$(DB_NAME)_demo
	$(PY) -m buildtracker.demo --database-url 'postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)_demo'
else
	$(MAKE) --no-print-directory deploy
	$(PY) -m buildtracker.demo --database-url '$(DB_URL)'
endif

# ---------------------------------------------------------------- schema snapshot
# schema/claude.sql is the normalised pg_dump --schema-only of a fresh deploy
# (generated function bodies included), and python_client/.../registry.json the
# call registry read from its catalog. `make schema` refreshes both from a
# scratch database; `make test` fails when a fresh deploy differs from either.
schema: deps
ifeq ($(EMBEDDED),1)
	$(MAKE) --no-print-directory test-fresh-db deploy DB_NAME=$(DB_NAME)_schema
	scripts/dump_schema.sh 'postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)_schema' > schema/claude.sql
	$(PY) -m buildtracker.registry --write --database-url 'postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)_schema'
	$(PY) -m buildtracker.codegen --write
	$(PSQL) -d 'postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres' -c 'DROP DATABASE "$(DB_NAME)_schema" WITH (FORCE)'
else
	@echo "make schema needs the embedded server (unset DATABASE_URL): it deploys a scratch database"; exit 2
endif

# ---------------------------------------------------------------- tests
# The embedded test database is separate from the demo one, because the
# sqitch cycle test reverts everything.
test: deps
ifeq ($(EMBEDDED),1)
	$(MAKE) --no-print-directory test-fresh-db test-run DB_NAME=$(DB_NAME)_test
else
	$(MAKE) --no-print-directory test-run
endif

# Tests start from an empty database: no state of an earlier run survives.
test-fresh-db: db-start
ifeq ($(EMBEDDED),1)
	$(PSQL) -d 'postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres' -c 'DROP DATABASE IF EXISTS "$(DB_NAME)" WITH (FORCE)'
endif

test-run: test-squawk lint-python test-sqitch-cycle test-schema test-pgtap test-plpgsql-check test-python test-stress test-bench
	@echo "all tests passed"

test-squawk: $(VENV)/.installed
	$(VENV)/bin/squawk --reporter gcc deploy/*.sql

lint-python: $(VENV)/.installed
	$(VENV)/bin/ruff check python_client tests/python scripts
	$(VENV)/bin/ruff format --check python_client tests/python scripts
	$(VENV)/bin/mypy --strict python_client/src/buildtracker

# deploy -> verify -> revert all -> nothing left -> deploy again
test-sqitch-cycle: preflight
	$(SQITCH) deploy --verify '$(SQITCH_TARGET)'
	$(SQITCH) verify '$(SQITCH_TARGET)'
	$(SQITCH) revert -y '$(SQITCH_TARGET)'
	$(PSQL) -d '$(DB_URL)' -f scripts/check_clean_revert.sql
	$(SQITCH) deploy --verify '$(SQITCH_TARGET)'

# The fresh deploy of test-sqitch-cycle, dumped, equals the committed snapshot.
test-schema: test-sqitch-cycle
	scripts/dump_schema.sh '$(DB_URL)' > .schema-fresh.sql
	if ! diff -u schema/claude.sql .schema-fresh.sql > .schema-diff.txt; then
	  head -n 60 .schema-diff.txt
	  echo "schema/claude.sql differs from a fresh deploy (above): run make schema, read the diff, commit it"
	  exit 1
	fi
	rm -f .schema-fresh.sql .schema-diff.txt

test-pgtap: test-sqitch-cycle
	$(PSQL) -d '$(DB_URL)' -c 'CREATE EXTENSION IF NOT EXISTS pgtap'
	pg_prove --ext .sql --failures -d '$(DB_URL)' tests/pgtap/

test-plpgsql-check: test-sqitch-cycle
	$(PSQL) -d '$(DB_URL)' -f scripts/plpgsql_check.sql

test-python: test-sqitch-cycle $(VENV)/.installed
	DATABASE_URL='$(DB_URL)' $(VENV)/bin/pytest -q tests/python

# The short stress and fault run inside make test (docs/RELIABILITY.md):
# concurrent clients, killed sessions and, on the embedded server, one
# immediate restart; no acknowledged write may be lost.
test-stress: test-sqitch-cycle $(VENV)/.installed
ifeq ($(EMBEDDED),1)
	$(PY) scripts/stress.py --database-url '$(DB_URL)' --seconds 6 --workers 6 --faults \
	  --pg-ctl-restart 'scripts/pg_embedded.sh restart-immediate'
else
	$(PY) scripts/stress.py --database-url '$(DB_URL)' --seconds 6 --workers 6 --faults
endif

# ---------------------------------------------------------------- reliability
# The full stress run (docs/RELIABILITY.md). Embedded: a database of its own,
# $(DB_NAME)_stress (buildtracker_stress), created and deployed afresh; worker
# sessions are killed and the server restarted once (pg_ctl -m immediate).
# With DATABASE_URL: deployed there; sessions are killed, the server is not restarted.
STRESS_SECONDS ?= 30
STRESS_WORKERS ?= 16

stress: deps
ifeq ($(EMBEDDED),1)
	$(MAKE) --no-print-directory test-fresh-db deploy DB_NAME=$(DB_NAME)_stress
	$(PY) scripts/stress.py --database-url 'postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)_stress' \
	  --seconds $(STRESS_SECONDS) --workers $(STRESS_WORKERS) --faults \
	  --pg-ctl-restart 'scripts/pg_embedded.sh restart-immediate'
else
	$(MAKE) --no-print-directory deploy
	$(PY) scripts/stress.py --database-url '$(DB_URL)' \
	  --seconds $(STRESS_SECONDS) --workers $(STRESS_WORKERS) --faults
endif

# ---------------------------------------------------------------- benchmarks
# Ratios measured side by side in one run (scripts/bench.py); the embedded
# run uses a database of its own, created afresh.
bench: deps
ifeq ($(EMBEDDED),1)
	$(MAKE) --no-print-directory test-fresh-db deploy DB_NAME=$(DB_NAME)_bench
	$(PY) scripts/bench.py --database-url 'postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)_bench'
else
	$(PY) scripts/bench.py --database-url '$(DB_URL)'
endif

# The small version inside make test: every benchmark runs and reports, and
# no task is ever claimed twice.
test-bench: test-sqitch-cycle $(VENV)/.installed
	$(PY) scripts/bench.py --quick --database-url '$(DB_URL)'

# ---------------------------------------------------------------- dashboard
# The README's pictures of the dashboard (docs/img/dashboard-*.png): the
# browser tests on a seeded project, saving their screenshots there. The
# embedded run uses a fresh database of its own, so that only that project shows.
.PHONY: screenshots
screenshots: deps
ifeq ($(EMBEDDED),1)
	$(MAKE) --no-print-directory test-fresh-db deploy DB_NAME=$(DB_NAME)_shots
	DATABASE_URL='postgresql://postgres@127.0.0.1:$(PG_PORT)/$(DB_NAME)_shots' DASHBOARD_SCREENSHOTS=docs/img \
	  $(VENV)/bin/pytest -q -p no:cacheprovider tests/python/test_dashboard_browser.py
else
	DATABASE_URL='$(DB_URL)' DASHBOARD_SCREENSHOTS=docs/img $(VENV)/bin/pytest -q -p no:cacheprovider tests/python/test_dashboard_browser.py
endif

# ---------------------------------------------------------------- tidy
clean:
	-scripts/pg_embedded.sh destroy
	rm -rf $(VENV) .deps-apt.stamp .pytest_cache .mypy_cache .ruff_cache .hypothesis
