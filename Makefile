# The two commands: `make run` (the service on an embedded default) and `make test` (the suite on PostgreSQL + Redis).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test bench install system-packages services lint format migrate seed clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var

run: install var
	@PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" scripts/run

system-packages: var
	@scripts/ensure-system-packages

services: var
	@scripts/ensure-services

test: system-packages install services
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# `make bench` (about 15 minutes) or `make bench SMALL=1` (about 2): figures and their floors, see README "Benchmarks".
bench: system-packages install services
	$(BIN)/python -m bench.run $(if $(SMALL),--small) $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install var
	$(BIN)/python manage.py migrate

seed: migrate
	$(BIN)/python manage.py seed_demo

clean:
	rm -rf $(VENV) var
