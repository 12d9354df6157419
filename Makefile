# Ruche — the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint check pytest messages bench-analysis bench-votes bench-workshop clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Ruche needs $(PYTHON) on PATH (Python 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

## demo: set everything up (virtualenv, dependencies, SQLite database, demo data) and serve
## Ruche with a task worker on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/ruche demo

## test: lint, format check, migrations check, deploy check, then pytest on SQLite and, when
## RUCHE_TEST_DATABASE_URL / RUCHE_TEST_REDIS_URL are set (CI), on PostgreSQL + Redis
test: $(STAMP) lint check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=ruche.config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=ruche.config.settings.production SECRET_KEY=check-deploy-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

pytest: $(STAMP)
	@echo "== pytest on SQLite, in-memory channel layer, database task queue =="
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$RUCHE_TEST_DATABASE_URL$$RUCHE_TEST_REDIS_URL" ]; then \
		unset DATABASE_URL REDIS_URL; \
		if [ -n "$$RUCHE_TEST_DATABASE_URL" ]; then export DATABASE_URL="$$RUCHE_TEST_DATABASE_URL"; fi; \
		if [ -n "$$RUCHE_TEST_REDIS_URL" ]; then export REDIS_URL="$$RUCHE_TEST_REDIS_URL"; fi; \
		echo "== pytest again on $$(echo "$${DATABASE_URL:-SQLite}" | sed 's#//[^/@]*@#//#')" \
			"with Redis $$(echo "$${REDIS_URL:-(none)}" | sed 's#//[^/@]*@#//#') =="; \
		$(BIN)/pytest $(PYTEST_ARGS) || exit $$?; \
	fi

## messages: extract interface strings and compile the catalogues (needs gettext)
messages: $(STAMP)
	cd ruche && ../$(BIN)/python ../manage.py makemessages -l fr --no-obsolete --ignore 'static/*'
	cd ruche && ../$(BIN)/python ../manage.py makemessages -d djangojs -l fr --no-obsolete --ignore 'locale/*'
	cd ruche && ../$(BIN)/python ../manage.py compilemessages

## bench-analysis: engine speed, memory and fidelity (prints every figure and its command);
## BENCH_ARGS=--skip-red-dwarf when time is short
bench-analysis: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_opinions.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_topics.py

## bench-votes: votes over HTTP on `ruche serve` with a throw-away PostgreSQL and Redis:
## votes/s, latency, database = acknowledged votes, ratio to /healthz, voting page time at
## 75,000 participants (prints every figure and its command); BENCH_ARGS="--duration 10"
bench-votes: $(STAMP)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then \
		AS_ROOT=$$([ "$$(id -u)" -eq 0 ] || echo "sudo -n"); \
		$$AS_ROOT apt-get update && $$AS_ROOT apt-get install -y postgresql redis-server; \
	fi
	$(BIN)/python benchmarks/bench_votes.py $(BENCH_ARGS)

## bench-workshop: a live workshop over WebSockets on `ruche serve` (throw-away PostgreSQL,
## Redis): 300 then 1,000 participants on one server process, then 1,000 on two processes
## with Redis; latency p50/p95/p99, lost, duplicated, CPU (prints every figure and its
## command; JSON in var/bench-workshop-*.json); BENCH_ARGS="--minutes 1"
bench-workshop: $(STAMP)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then \
		AS_ROOT=$$([ "$$(id -u)" -eq 0 ] || echo "sudo -n"); \
		$$AS_ROOT apt-get update && $$AS_ROOT apt-get install -y postgresql redis-server; \
	fi
	mkdir -p var
	$(BIN)/ruche bench workshop --participants 300 --json var/bench-workshop-300.json $(BENCH_ARGS)
	$(BIN)/ruche bench workshop --participants 1000 --json var/bench-workshop-1000.json $(BENCH_ARGS)
	$(BIN)/ruche bench workshop --participants 1000 --workers 2 --redis \
		--json var/bench-workshop-1000-2proc-redis.json $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
