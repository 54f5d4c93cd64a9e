# Two commands: `make run` (guided demo on the embedded data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sanctionscope serve --host 127.0.0.1 --port 8000

validate: $(STAMP)
	$(BIN)/sanctionscope validate data

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint typecheck validate
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/check.py
	$(BIN)/python bench/screen.py --rows 10_000_000
	$(BIN)/python bench/load.py --rate 1000 --seconds 60
	$(BIN)/python bench/spark_scale.py --sizes 1,10,100

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
