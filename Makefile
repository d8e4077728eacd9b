# The one place commands live. `make run` and `make test` work on a fresh clone.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
ARGS    ?=

.PHONY: run test test-fast lint format typecheck bench validate region clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## run the default Bangka scenario (extra Hydra overrides: make run ARGS="...")
	$(BIN)/pilkadasim $(ARGS)

test: $(STAMP)  ## format check, lint, strict type-check of src, the whole test suite (all cores)
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

test-fast: $(STAMP)  ## the suite without the slow statistical tests
	$(BIN)/python -m pytest -n auto -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/ruff check --fix src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

region: $(STAMP)  ## rebuild the packaged Bangka CSVs from data/geo (in this repository)
	$(BIN)/python scripts/build_bangka_region.py

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP)  ## speed and scale figures against their targets (prints a table; never fails)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_all.py $(ARGS)
	$(BIN)/python benchmarks/bench_custom.py $(ARGS)
