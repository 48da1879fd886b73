# Board Bot: `make run` starts the bot, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What lint checks.
CODE := bot commands storage bench tests

.PHONY: run test fuzz bench bench-quick lint upgrade clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

run: $(STAMP)  ## serve or socket when Slack tokens are set, otherwise the console on SQLite
	$(BIN)/boardbot run

test: $(STAMP)  ## the whole suite, on SQLite and (when it answers) PostgreSQL
	$(BIN)/python -m pytest

fuzz: $(STAMP)  ## the long fuzzing run (10,000+ typed commands, on SQLite); prints the count
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py -k sqlite -q

bench: $(STAMP)  ## the full benchmark: 500 boards; a table, then one JSON line
	$(BIN)/python -m bench.run

bench-quick: $(STAMP)  ## the same with 50 boards (under 3 minutes)
	$(BIN)/python -m bench.run --quick

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy $(CODE)

upgrade: $(STAMP)
	$(BIN)/boardbot db upgrade

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .mypy_cache
