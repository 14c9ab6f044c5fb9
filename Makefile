# mlsd: `make demo` and `make test` set everything up on a fresh machine.
# Only python3 and make are assumed; Graphviz is installed when `dot` is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two stamps: the demo needs mlsd alone; the tests and linters need the dev extras too.
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.DEFAULT_GOAL := help
.PHONY: help demo test test-fast lint bench layout setup system schema clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

demo: system $(RUN_STAMP) ## install mlsd alone (no dev tools), then build the gallery in output/ from every spec in specs/
	$(BIN)/mlsd validate specs
	$(BIN)/mlsd build specs -o output -j 2
	$(BIN)/mlsd render specs/fraud-detection.yaml --theme dark -f svg,png -o output/dark
	mkdir -p output/diff
	$(BIN)/mlsd diff specs/fraud-detection.yaml specs/fraud-detection-scaled.yaml -o output/diff -f md \
		> output/diff/fraud-detection--fraud-detection-scaled.md
	@echo "The gallery is in output/index.html (and output/index.md)."

test: setup lint ## set up (plus rsvg-convert, Chromium and mermaid-cli for the tests), lint, then run the whole test suite
	@sh tools/install-system-deps.sh --test
	$(BIN)/python -m pytest

lint: setup ## ruff (lint and format), mypy, and the import-linter contract that keeps the pipeline's layers pointing down
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports

test-fast: setup ## run the tests not marked slow (in under a minute); `make test` runs them all
	$(BIN)/python -m pytest -m "not slow"

setup: system $(STAMP) ## system packages (Graphviz, fonts), the virtual environment and the package

system:
	@sh tools/install-system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(RUN_STAMP)

# What `make demo` needs: the package and its runtime dependencies, no test tools.
$(RUN_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

bench: setup ## measure render speed against plain diagrams, dot and D2; writes benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.mlsd_bench

layout: setup ## rebuild the gallery, then report whether each picture reads on a 1920x1080 slide
	$(BIN)/mlsd build specs -o output -j 2
	$(BIN)/python tools/layout_quality.py output --specs specs

schema: setup ## refresh the committed JSON Schema, specs/mlsd.schema.json
	$(BIN)/mlsd schema > specs/mlsd.schema.json

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis build src/*.egg-info
