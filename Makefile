# Two commands: `make run` (the web app on the embedded data) and `make test`.
# `make run PORT=8001` serves on another port (HOST=0.0.0.0 listens on every interface).
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck validate bench clean

# Two install profiles in one virtualenv: serving needs the core and the web extra;
# tests need every extra. Each stamp is redone when pyproject.toml changes, or the
# kernel's compiled row loop (setup.py builds it in place).
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

BUILT := pyproject.toml setup.py src/sanctionscope/_lookups.c

$(RUN_STAMP): $(BUILT) | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[web]'
	touch $@

$(TEST_STAMP): $(BUILT) | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[web,research,spark,dev]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/sanctionscope serve --host $(HOST) --port $(PORT)

validate: $(TEST_STAMP)
	$(BIN)/sanctionscope validate data

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

test: $(TEST_STAMP) lint typecheck validate
	$(BIN)/pytest

bench: $(TEST_STAMP)
	$(BIN)/python bench/check.py
	$(BIN)/python bench/cold.py
	$(BIN)/python bench/screen.py --rows 10_000_000
	$(BIN)/python bench/endtoend.py --rows 10_000_000
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/size.py
	$(BIN)/python bench/load.py --rate 1000 --seconds 60
	$(BIN)/python bench/abuse.py --seconds 60
	$(BIN)/python bench/spark_scale.py --sizes 1,10,100

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
