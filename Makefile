# onecouncil: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export ONECOUNCIL_HOME ?= $(CURDIR)/.onecouncil

.PHONY: demo test test-service venv lock lint clean bench

# --compile-bytecode: uv, unlike pip, leaves the .py files uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set (this machine's environment) no process ever writes a .pyc,
# so each one compiled Airflow, dbt and GX from source again: `import airflow` 4.8 s of a
# core, 1.9 s with the bytecode. The project's own package is compiled for the same reason.
$(BIN)/onecouncil: requirements.txt pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.txt
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	$(BIN)/python -m compileall -q onecouncil dags
	touch $@

venv: $(BIN)/onecouncil

demo: venv
	$(BIN)/onecouncil demo

# one worker per core (pytest-xdist); a test module's tests stay on one worker, which has
# its own temporary home and embedded PostgreSQL; modules go out in collection order, the
# slow ones first (tests/conftest.py SLOW_FIRST), not xdist's most-tests-first
test: venv
	$(BIN)/ruff check --select AIR3 dags/
	$(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder --durations=20

# only the service tests, the scheduler-driven ones included (redis-server for Celery)
test-service: venv
	ONECOUNCIL_SCHEDULER_TESTS=1 $(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder tests/service

lint: venv
	$(BIN)/ruff check onecouncil dags tests

bench: venv  # BENCH_ARGS="--scale 1 --scale 10" adds ten times the rows
	$(BIN)/python -m onecouncil.bench $(BENCH_ARGS)

lock:
	$(BIN)/uv pip compile --python-version 3.11 requirements.in -o requirements.txt

clean:
	-$(BIN)/onecouncil warehouse down
	rm -rf $(VENV) .onecouncil
