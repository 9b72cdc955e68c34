"""A small lake to land files into: two known customers and a two-product catalog in bronze."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from ecap_pipeline.lake.bronze import BatchInfo, read_table, replace_partitions, with_lake_columns
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS
from ecap_pipeline.landing.ingest import IngestReport, ingest_file

NOW = dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC)
"""The clock of every landing in these tests: a timestamp after it is in the future."""
DAY = dt.date(2025, 9, 20)
GENERATOR = BatchInfo(batch_id="run-1", ingested_at=dt.datetime(2025, 9, 21, tzinfo=dt.UTC), source="generator")

Land = Callable[..., IngestReport]


def _frame(table: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    return with_lake_columns(pl.DataFrame(rows, schema=BRONZE_CONTRACTS[table]), DAY, GENERATOR)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir whose bronze knows customers C1, C2 and products P1 (cost 4.00), P2 (cost 10.00)."""
    lake = tmp_path / "lake"
    signup = dt.datetime(2025, 9, 20, 9, tzinfo=dt.UTC)
    customers = [
        {"customer_id": customer, "signup_at": signup, "country_code": "DE", "segment": "new"}
        for customer in ("C1", "C2")
    ]
    products = [
        {"product_id": "P1", "product_name": "Mug", "category": "Home", "unit_price": 9.5, "unit_cost": 4.0},
        {"product_id": "P2", "product_name": "Lamp", "category": "Home", "unit_price": 25.0, "unit_cost": 10.0},
    ]
    replace_partitions(lake, "customers", _frame("customers", customers), [DAY])
    replace_partitions(lake, "products", _frame("products", products), [DAY])
    return tmp_path


@pytest.fixture
def land(data_dir: Path) -> Land:
    """`land(table, file_name, content)`: drop a file (text or bytes) into landing/<table>/ and ingest it."""

    def drop_and_ingest(table: str, file_name: str, content: str | bytes) -> IngestReport:
        folder = data_dir / "landing" / table
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return ingest_file(data_dir, f"{table}/{file_name}", now=NOW)

    return drop_and_ingest


def landed_rows(data_dir: Path, table: str, batch_id: str) -> pl.DataFrame:
    """The bronze rows of `table` that batch `batch_id` wrote."""
    return read_table(data_dir / "lake", table).filter(pl.col("_batch_id") == batch_id)


def quarantined_rows(data_dir: Path, table: str, batch_id: str) -> pl.DataFrame:
    """The quarantine rows of `table` that batch `batch_id` wrote (empty if none)."""
    path = data_dir / "lake" / "quarantine" / table
    if not path.exists():
        return pl.DataFrame()
    return pl.read_delta(str(path)).filter(pl.col("_batch_id") == batch_id).sort("row_number")


def assert_accounted(data_dir: Path, report: IngestReport) -> None:
    """Rows in = accepted + quarantined, and the lake holds exactly those rows: nothing dropped."""
    assert report.rows_in == report.accepted + report.quarantined
    assert landed_rows(data_dir, report.table, report.batch_id).height == report.accepted
    assert quarantined_rows(data_dir, report.table, report.batch_id).height == report.quarantined
