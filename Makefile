# Two commands on a fresh machine: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	bash scripts/install-browser.sh

run: install
	$(BIN)/tradewinds serve --demo --host $(HOST) --port $(PORT)

test: install-test
	bash scripts/test.sh

lint:
	$(BIN)/ruff check tradewinds tests
	$(BIN)/lint-imports

messages:
	bash scripts/messages.sh

clean:
	rm -rf $(VENV) var .pytest_cache
