"""What landing reads from the lake, and how it writes there exactly once per file.

A landed file's rows are appended to each table in one Delta commit that also records a Delta
application transaction (`app_id` = the file's batch id, version 1). Before writing, the table
is asked for that transaction: if it is there, the file already landed in that table and the
write is skipped. So the same file committed twice lands once, and a crash between two tables
is repaired by simply ingesting the file again: the tables it reached are skipped, the others
written.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake

from ecap_pipeline.lake.bronze import check_frame, table_path
from ecap_pipeline.lake.contracts import LAKE_COLUMNS, PARTITION_COLUMN, table_schema
from ecap_pipeline.landing.contracts import LandingContract
from ecap_pipeline.landing.validate import BronzeState
from ecap_pipeline.locks import exclusive_lock

QUARANTINE_COLUMNS: dict[str, pl.DataType] = {
    "file": pl.String(),  # the landed file, as `<table>/<name>`
    "row_number": pl.Int64(),  # 1-based data row (row 1 follows a CSV header)
    "column": pl.String(),  # the column of the first rule broken (null for a row-wide rule)
    "rule": pl.String(),  # the first rule broken, e.g. out_of_range
    "reason": pl.String(),  # every rule broken, each naming file, row, column and value
    "raw": pl.String(),  # the row's values as read, as a JSON object of strings
}
"""Columns of `lake/quarantine/<table>`, followed by the lake columns; partition_date = the day quarantined."""


def quarantine_path(lake_root: Path, table: str) -> Path:
    """Where the rows of `table` that failed their landing contract are kept."""
    return lake_root / "quarantine" / table


def quarantine_schema() -> pl.Schema:
    return pl.Schema({**QUARANTINE_COLUMNS, **LAKE_COLUMNS})


def append_bronze_once(lake_root: Path, table: str, frame: pl.DataFrame, *, batch_id: str) -> bool:
    """Append `frame` (lake schema) to bronze `table` unless batch `batch_id` already did; True if written."""
    if frame.is_empty():
        return False
    check_frame(table, frame, frame.get_column(PARTITION_COLUMN).unique().to_list(), operation="land")
    return _append_once(
        table_path(lake_root, table), frame, batch_id=batch_id, lock=lake_root / "_locks" / f"{table}.lock"
    )


def append_quarantine_once(lake_root: Path, table: str, frame: pl.DataFrame, *, batch_id: str) -> bool:
    """Append quarantined rows of `table` unless batch `batch_id` already did; True if written."""
    if frame.schema != quarantine_schema():
        msg = f"quarantine of {table!r}: frame schema {dict(frame.schema)} is not {dict(quarantine_schema())}"
        raise ValueError(msg)
    lock = lake_root / "_locks" / f"quarantine-{table}.lock"
    return _append_once(quarantine_path(lake_root, table), frame, batch_id=batch_id, lock=lock)


def _append_once(path: Path, frame: pl.DataFrame, *, batch_id: str, lock: Path) -> bool:
    if frame.is_empty():
        return False
    with exclusive_lock(lock):
        if DeltaTable.is_deltatable(str(path)) and DeltaTable(path).transaction_version(batch_id) is not None:
            return False
        write_deltalake(
            path,
            frame.to_arrow(),
            mode="append",
            partition_by=[PARTITION_COLUMN],
            commit_properties=CommitProperties(app_transactions=[Transaction(batch_id, 1)]),
        )
    return True


def bronze_state(lake_root: Path, contract: LandingContract, *, batch_id: str) -> BronzeState:
    """What `contract`'s file is checked against, leaving out the rows batch `batch_id` itself landed."""
    own = pl.col("_batch_id") != batch_id
    return BronzeState(
        keys=_scan(lake_root, contract.table)
        .filter(own)
        .select(*contract.key, *([PARTITION_COLUMN] if contract.snapshot else []))
        .collect(),
        order_days=_scan(lake_root, "orders").select("order_id", PARTITION_COLUMN).collect(),
        references={
            column: _scan(lake_root, table).select(pl.col(column).unique()).collect().to_series()
            for column, table in contract.references.items()
        },
    )


def known_customers(lake_root: Path, *, batch_id: str) -> pl.Series:
    """Customer ids bronze holds from other batches than `batch_id`."""
    scan = _scan(lake_root, "customers").filter(pl.col("_batch_id") != batch_id)
    return scan.select(pl.col("customer_id").unique()).collect().to_series()


def latest_unit_costs(lake_root: Path) -> pl.DataFrame:
    """`product_id`, `unit_cost`: each product's cost in its latest catalog snapshot."""
    return (
        _scan(lake_root, "products")
        .sort(PARTITION_COLUMN)
        .group_by("product_id")
        .agg(pl.col("unit_cost").last())
        .collect()
    )


def _scan(lake_root: Path, table: str) -> pl.LazyFrame:
    path = table_path(lake_root, table)
    if not DeltaTable.is_deltatable(str(path)):
        return table_schema(table).to_frame().lazy()
    return pl.scan_delta(str(path))
