#!/usr/bin/env bash
# Lint the dbt project's SQL with sqlfluff (dbt templater, duckdb dialect; rules in .sqlfluff).
# The dbt templater compiles the project, which opens the DuckDB profile, reads the bronze sources
# and writes a manifest: point all three at a scratch folder (with empty bronze tables, so staging
# models compile too) so linting never touches data/ or dbt_project/target.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/warehouse"
.venv/bin/python - "$scratch/lake" <<'PY'
import datetime as dt
import sys
from pathlib import Path

from ecap_pipeline.lake.bronze import replace_partitions
from ecap_pipeline.lake.contracts import BRONZE_TABLES, table_schema

for table in BRONZE_TABLES:
    replace_partitions(Path(sys.argv[1]), table, table_schema(table).to_frame(), [dt.date(2000, 1, 1)])
PY
status=0
ECAP_DATA_DIR="$scratch" DBT_TARGET_PATH="$scratch/target" DBT_LOG_PATH="$scratch/logs" \
    .venv/bin/sqlfluff lint dbt_project/models dbt_project/tests dbt_project/macros "$@" \
    2>&1 | tee "$scratch/lint.log" || status=$?
# sqlfluff skips a file it cannot compile with a warning and still passes: a skipped model is unlinted.
if grep -q "because dbt raised a fatal exception" "$scratch/lint.log"; then
    echo "lint_sql: some models did not compile, so they were not linted (see the warnings above)" >&2
    exit 1
fi
exit "$status"
