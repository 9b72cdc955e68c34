# Everyday targets. `make build` and `make test` create the environment first if it is missing.
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help build test lint format dev clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.synced: pyproject.toml uv.lock scripts/bootstrap.sh
	./scripts/bootstrap.sh

build: $(VENV)/.synced  ## generate the default date range and build the whole pipeline headless
	$(BIN)/ecap build

test: $(VENV)/.synced  ## lint Python and SQL, check the import layers, run the tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	./scripts/lint_sql.sh
	./scripts/install_browser.sh
	$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$status

lint: $(VENV)/.synced  ## ruff, import-linter and sqlfluff only
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	./scripts/lint_sql.sh

format: $(VENV)/.synced  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

dev: $(VENV)/.synced  ## open the Dagster UI on http://127.0.0.1:3000
	$(BIN)/ecap dev

clean:  ## remove everything the pipeline built (data/ content, dbt target)
	find data -mindepth 1 -not -name README.md -delete
	rm -rf dbt_project/target dbt_project/logs
