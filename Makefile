# The two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
RUN := $(UV) run --frozen

.PHONY: run test env lint types pytest bench clean

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

env: $(if $(filter $(TOOLS)/bin/uv,$(UV)),$(TOOLS)/bin/uv)
	$(UV) sync --frozen --quiet

run: env
	$(RUN) newsfeed serve

test: env lint types pytest

lint:
	$(RUN) ruff check src tests bench
	$(RUN) ruff format --check src tests bench

types:
	$(RUN) mypy

pytest:
	$(RUN) pytest

bench: env
	$(UV) sync --frozen --quiet --group bench
	for b in bench/*.py; do $(RUN) --group bench python $$b || exit 1; done

clean:
	rm -rf .venv $(TOOLS) .mypy_cache .ruff_cache .pytest_cache
