# The two commands of the README: `make run` and `make test`. Both set up what they need.
VENV := .venv/bin
INBOX ?= sample_docs/inbox
OUT ?= out

.PHONY: run test setup setup-dev eval bench bench-quick app fuzz lint schema samples

setup:
	@bash scripts/bootstrap.sh

setup-dev:
	@bash scripts/bootstrap.sh --dev

run: setup
	$(VENV)/recordready batch $(INBOX) -o $(OUT)

# Format, lint and types first: they take seconds and fail before a 6-minute pytest run does.
test: setup-dev
	$(VENV)/ruff format --check .
	$(VENV)/ruff check .
	$(VENV)/mypy
	$(VENV)/python -m pytest

eval: setup-dev
	OMP_THREAD_LIMIT=1 $(VENV)/recordready eval

bench:
	@bash scripts/bootstrap.sh --bench
	$(VENV)/python -m benchmarks.bench
	$(VENV)/python -m benchmarks.case_list

bench-quick:
	@bash scripts/bootstrap.sh --bench
	$(VENV)/python -m benchmarks.bench --quick

app: setup
	$(VENV)/recordready app

fuzz: setup-dev
	$(VENV)/python -m pytest tests/fuzz --fuzz-long

lint: setup-dev
	$(VENV)/ruff format --check .
	$(VENV)/ruff check .
	$(VENV)/mypy

schema: setup
	$(VENV)/recordready schema -o docs/schema

samples: setup-dev
	$(VENV)/python -m sample_docs.generator
