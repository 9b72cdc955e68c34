"""The short report printed after a build: what was built, where it is, how to look at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from deltalake import DeltaTable

from ecap_pipeline.lake.bronze import table_path
from ecap_pipeline.lake.contracts import BRONZE_TABLES

MARTS: tuple[str, ...] = (
    "customer_rfm",
    "customer_clv",
    "cohort_retention",
    "revenue_daily",
    "revenue_trend_daily",
    "revenue_by_dimension_daily",
    "revenue_by_dimension_weekly",
    "revenue_by_dimension_monthly",
    "revenue_concentration",
    "funnel_daily",
    "session_metrics_daily",
    "attribution_credits",
    "attribution_channel_daily",
    "attribution_model_comparison",
    "product_performance",
    "market_basket_pairs",
    "product_recommendations",
    "geography_by_country",
    "geography_by_city",
    "seasonal_indexes",
)
"""The marts analysts query, in the order the build summary lists them."""

SCORES: tuple[str, ...] = ("churn_scores", "clv_predictions", "fraud_alerts")
"""The model score tables; one is missing when its model has no promoted version (yet)."""


@dataclass(frozen=True)
class BuildSummary:
    """Row counts of the bronze tables and marts after a build."""

    warehouse_path: Path
    lake_root: Path
    bronze_rows: dict[str, int]
    mart_rows: dict[str, int]
    warehouse_tables: int
    score_rows: dict[str, int | None]
    """Rows per score table; None where the table does not exist."""
    reports: tuple[Path, ...] = ()
    """The report files people open (HTML report, workbook), if the deployment writes them."""


def summarize(lake_root: Path, warehouse_path: Path, *, reports_dir: Path | None = None) -> BuildSummary:
    """Count rows through the same doors analysts use: Delta tables and a read-only DuckDB."""
    bronze = bronze_rows(lake_root)
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'main' order by 1"
            ).fetchall()
        ]
        mart_rows = {mart: connection.execute(f"select count(*) from {mart}").fetchone()[0] for mart in MARTS}
        score_rows = {
            table: connection.execute(f"select count(*) from {table}").fetchone()[0] if table in tables else None
            for table in SCORES
        }
    reports = tuple(sorted(reports_dir.glob("*.*"))) if reports_dir is not None and reports_dir.is_dir() else ()
    return BuildSummary(warehouse_path, lake_root, bronze, mart_rows, len(tables), score_rows, reports)


def bronze_rows(lake_root: Path) -> dict[str, int]:
    """Rows per bronze table, 0 for a table not written yet."""
    return {table: _delta_rows(table_path(lake_root, table)) for table in BRONZE_TABLES}


def render(summary: BuildSummary, *, elapsed_seconds: float) -> str:
    """The summary as text for a terminal."""
    width = max(len(name) for name in (*summary.bronze_rows, *summary.mart_rows))
    lines = [f"ECAP build finished in {elapsed_seconds:.0f} s.", "", "Marts (DuckDB):"]
    lines += [f"  {name:<{width}}  {rows:>10,} rows" for name, rows in summary.mart_rows.items()]
    lines += ["", "Model scores (DuckDB; models and their cards under data/models/):"]
    lines += [
        f"  {name:<{width}}  {rows:>10,} rows" if rows is not None else f"  {name:<{width}}  (no promoted model)"
        for name, rows in summary.score_rows.items()
    ]
    lines += ["", "Bronze (Delta Lake):"]
    lines += [f"  {name:<{width}}  {rows:>10,} rows" for name, rows in summary.bronze_rows.items()]
    lines += [
        "",
        f"Warehouse : {summary.warehouse_path}  ({summary.warehouse_tables} tables)",
        f"Delta lake: {summary.lake_root / 'bronze'}/<table>",
        f"Docs site : {summary.warehouse_path.parent.parent / 'docs' / 'dbt' / 'static_index.html'}  (ecap docs)",
        *(f"Report    : {path}  (ecap report)" for path in summary.reports),
        "",
        "Query a mart:",
        f"  .venv/bin/python -c \"import duckdb; print(duckdb.connect('{summary.warehouse_path}', read_only=True)"
        ".sql('select segment, count(*) from customer_rfm group by 1 order by 2 desc'))\"",
        "Open the Dagster UI:",
        "  make dev        (then http://127.0.0.1:3000)",
    ]
    return "\n".join(lines)


def _delta_rows(path: Path) -> int:
    if not DeltaTable.is_deltatable(str(path)):
        return 0
    return DeltaTable(str(path)).to_pyarrow_dataset().count_rows()
