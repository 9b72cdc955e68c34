#!/usr/bin/env bash
# Lint the dbt project's SQL with sqlfluff (dbt templater, duckdb dialect; rules in .sqlfluff).
# The dbt templater compiles the project, which opens the DuckDB profile and writes a manifest:
# point both at a scratch folder so linting never touches data/ or dbt_project/target.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/warehouse"
ECAP_DATA_DIR="$scratch" DBT_TARGET_PATH="$scratch/target" DBT_LOG_PATH="$scratch/logs" \
    .venv/bin/sqlfluff lint dbt_project/models dbt_project/tests dbt_project/macros "$@"
