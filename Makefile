# The one front door. CI (.ci/run) calls these same targets.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BASE_STAMP := $(VENV)/.installed-base
STAMP := $(VENV)/.installed-dev
NATIVE_STAMP := $(VENV)/.built-native
DEMO_LOGDIR ?= demo_logs

.DEFAULT_GOAL := help
.PHONY: help setup native demo test test-unit test-compat lint format bench check-gen gen-protos golden clean

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BASE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@# The filter drops pip's per-package warnings about absent local mirror folders some machines list.
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(BIN)/pip install --quiet -e . 2>&1 | { grep -v "is ignored: it is neither" || true; }
	touch $(BASE_STAMP)

$(STAMP): $(BASE_STAMP)
	$(BIN)/pip install --quiet -e ".[dev,compat]" 2>&1 | { grep -v "is ignored: it is neither" || true; }
	touch $(STAMP)

setup: $(STAMP) $(NATIVE_STAMP)  ## Create .venv and install Heron (editable) with its dev and compat extras.

# The editable install compiles the C record scanner once (hatch_build.py); this rebuilds it
# in place whenever its source changes. Without a C compiler Heron uses the pure-Python scanner.
$(NATIVE_STAMP): src/heron/formats/_scan.c hatch_build.py $(BASE_STAMP)
	$(BIN)/python hatch_build.py || echo "heron: continuing with the pure-Python scanner"
	touch $(NATIVE_STAMP)

native: $(NATIVE_STAMP)  ## Rebuild the C record scanner (src/heron/formats/_scan.c) in place.

demo: $(BASE_STAMP) $(NATIVE_STAMP)  ## Write a demo logdir and show what Heron reads from it (light install: no dev tools).
	$(BIN)/heron demo --logdir $(DEMO_LOGDIR)

test: setup lint  ## Lint, type-check, then run every test (unit, compat, integration).
	$(BIN)/pytest

test-unit: setup  ## Only the fast unit tests.
	$(BIN)/pytest tests/unit

test-compat: setup  ## Only the tests against real TensorBoard / TensorFlow / PyTorch / tensorboardX.
	$(BIN)/pytest tests/compat

lint: setup check-gen  ## ruff (lint + format check), mypy --strict, import-linter layer contracts.
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: setup  ## Apply ruff's fixes and formatting.
	$(BIN)/ruff check --fix src tests tools bench
	$(BIN)/ruff format src tests tools bench

bench: setup  ## Compare Heron with TensorBoard side by side; prints ratios.
	$(BIN)/python bench/read_throughput.py
	$(BIN)/python bench/scan_throughput.py
	$(BIN)/python bench/writer_overhead.py
	$(BIN)/python bench/ingest.py

gen-protos: setup  ## Regenerate the protobuf modules from src/heron/formats/proto/*.proto.
	$(BIN)/python tools/gen_protos.py

check-gen: setup  ## Fail if the committed generated modules differ from what the pinned generator makes.
	$(BIN)/python tools/gen_protos.py --check

golden: setup  ## Regenerate the golden logdirs in tests/compat/golden with the real writers.
	$(BIN)/python tools/make_golden_logdirs.py

clean:  ## Remove the venv and caches.
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis $(DEMO_LOGDIR)
	rm -f src/heron/formats/_scan.*.so
