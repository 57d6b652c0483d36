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
# The web UI: web/ (TypeScript) is built into the git-ignored package folder src/heron/_web.
WEB_DEPS_STAMP := web/node_modules/.installed
# Vite rewrites index.html on every build, so it doubles as the build stamp.
WEB_STAMP := src/heron/_web/index.html
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts \
	web/tsconfig.json web/package.json
# The UI's wire types come from the server's OpenAPI document (make gen-web-types / check-gen).
WEB_TYPES := web/src/api/generated.ts
OPENAPI_JSON = $(BIN)/python -c "import json; from heron.server.openapi import openapi_document; \
	print(json.dumps(openapi_document('')))"
# `make` builds the UI itself (target web); the editable install must not build it a second time.
export HERON_SKIP_WEB_BUILD ?= 1

.DEFAULT_GOAL := help
.PHONY: help setup native web demo test test-unit test-compat test-web lint format bench check-gen gen-protos gen-web-types golden clean

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

setup: $(STAMP) $(NATIVE_STAMP) web  ## Create .venv, install Heron (editable) with its dev and compat extras, build the UI.

# The editable install compiles the C record scanner once (hatch_build.py); this rebuilds it
# in place whenever its source changes. Without a C compiler Heron uses the pure-Python scanner.
$(NATIVE_STAMP): src/heron/formats/_scan.c hatch_build.py $(BASE_STAMP)
	$(BIN)/python hatch_build.py || echo "heron: continuing with the pure-Python scanner"
	touch $(NATIVE_STAMP)

native: $(NATIVE_STAMP)  ## Rebuild the C record scanner (src/heron/formats/_scan.c) in place.

# npm ci only when package-lock.json is newer than the last install (it wipes node_modules).
$(WEB_DEPS_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $(WEB_DEPS_STAMP)

$(WEB_STAMP): $(WEB_DEPS_STAMP) $(WEB_SOURCES)
	cd web && npm run build
	touch $(WEB_STAMP)

web: $(WEB_STAMP)  ## Build the web UI (web/) into src/heron/_web, which heron serve serves.

demo: $(BASE_STAMP) $(NATIVE_STAMP) web  ## Write a demo logdir and serve it on http://localhost:6006 (light install: no dev tools).
	$(BIN)/heron demo --logdir $(DEMO_LOGDIR)

test: setup lint test-web  ## Lint, type-check, then run every test (unit, compat, integration, web, browser).
	$(BIN)/pytest

test-web: $(WEB_DEPS_STAMP)  ## Type-check the web UI and run its unit tests (Vitest).
	cd web && npm run typecheck
	cd web && npm test

test-unit: setup  ## Only the fast unit tests.
	$(BIN)/pytest tests/unit

test-compat: setup  ## Only the tests against real TensorBoard / TensorFlow / PyTorch / tensorboardX.
	$(BIN)/pytest tests/compat

lint: setup check-gen  ## ruff (lint + format check), mypy --strict, import-linter layer contracts.
	$(BIN)/ruff check src tests tools bench examples
	$(BIN)/ruff format --check src tests tools bench examples
	$(BIN)/mypy
	$(BIN)/lint-imports

format: setup  ## Apply ruff's fixes and formatting.
	$(BIN)/ruff check --fix src tests tools bench examples
	$(BIN)/ruff format src tests tools bench examples

bench: setup  ## Compare Heron with TensorBoard side by side; prints ratios.
	$(BIN)/python bench/read_throughput.py
	$(BIN)/python bench/scan_throughput.py
	$(BIN)/python bench/writer_overhead.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/load_test.py --seconds 10
	$(BIN)/python bench/keras_callback.py
	$(BIN)/python bench/ui_media.py
	$(BIN)/python bench/ui_render.py

gen-protos: setup  ## Regenerate the protobuf modules from src/heron/formats/proto/*.proto.
	$(BIN)/python tools/gen_protos.py

check-gen: setup  ## Fail if the committed generated modules differ from what the pinned generator makes.
	$(BIN)/python tools/gen_protos.py --check
	$(OPENAPI_JSON) | node web/scripts/gen-api-types.mjs | diff -u $(WEB_TYPES) - \
		|| { echo "$(WEB_TYPES) is stale: run make gen-web-types"; exit 1; }

gen-web-types: $(BASE_STAMP)  ## Regenerate the UI's wire types (web/src/api/generated.ts) from the OpenAPI document.
	$(OPENAPI_JSON) | node web/scripts/gen-api-types.mjs > $(WEB_TYPES)

golden: setup  ## Regenerate the golden logdirs in tests/compat/golden with the real writers.
	$(BIN)/python tools/make_golden_logdirs.py

clean:  ## Remove the venv and caches.
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis $(DEMO_LOGDIR)
	rm -f src/heron/formats/_scan.*.so
	rm -rf web/node_modules src/heron/_web tests/browser/artifacts
