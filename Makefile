# `make run` and `make test` are all a newcomer needs; both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATABASE ?= sqlite:///ledger.db

WEB_MODULES := web/node_modules/.installed
WEB_APP := src/ledger/webapp/index.html
WEB_SOURCES := $(shell find web/src -path web/src/gql -prune -o -type f -print) \
	web/index.html web/graphiql.html web/vite.config.ts web/codegen.ts web/tsconfig.json schema.graphql

.PHONY: setup run test test-fast bench schema clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# The web app: typed against schema.graphql and built into the Python package.
$(WEB_MODULES): web/package-lock.json
	@command -v npm >/dev/null || { echo "The web app is built with node 20 and npm: install them (the API works without)."; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(WEB_MODULES)

$(WEB_APP): $(WEB_MODULES) $(WEB_SOURCES)
	cd web && npm run --silent build

setup: $(STAMP) $(WEB_APP)

# The browser tests drive Debian's chromium: installed here when it is missing.
browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests ..."; \
		apt-get install -y -q chromium >/dev/null || { echo "Could not install chromium: run 'apt-get install chromium' as root."; exit 1; }; }

run: setup
	@echo "The web app: http://127.0.0.1:8000/  GraphiQL: http://127.0.0.1:8000/graphiql  (database $(DATABASE))"
	LEDGER_DATABASE_URL=$(DATABASE) $(BIN)/ledger serve --demo --host 127.0.0.1 --port 8000

test: setup browser
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
	rm -rf $(VENV) ledger.db ledger.db-shm ledger.db-wal ledger.db.numbering-lock ledger.db.queue-lock \
		web/node_modules web/src/gql src/ledger/webapp
