# `make run` and `make test` are all a newcomer needs; both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATABASE ?= sqlite:///ledger.db

.PHONY: setup run test test-fast bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	@echo "GraphiQL: http://127.0.0.1:8000/graphql (database $(DATABASE))"
	LEDGER_DATABASE_URL=$(DATABASE) $(BIN)/ledger serve --demo --host 127.0.0.1 --port 8000

test: setup
	$(BIN)/pytest -q

# The edit-test loop: unit and SQLite service tests, no PostgreSQL, no servers (< 60 s).
test-fast: setup
	$(BIN)/pytest -q -m "not postgres and not scenario and not slow"

# Every figure beside its baseline, measured in the same run (--quick: under two minutes).
bench: setup
	$(BIN)/ledger bench $(if $(QUICK),--quick)

schema: setup
	$(BIN)/ledger export-schema --output schema.graphql

clean:
	rm -rf $(VENV) ledger.db ledger.db-shm ledger.db-wal ledger.db.numbering-lock ledger.db.queue-lock
