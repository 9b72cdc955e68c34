"""Ground truth lives apart from bronze, so no warehouse source can read it by accident."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from ecap_pipeline.lake.bronze import BatchInfo, read_table, replace_partitions, table_path, with_lake_columns
from ecap_pipeline.lake.contracts import BRONZE_TABLES, GROUND_TRUTH_TABLES, table_schema, zone_of

DAY = dt.date(2025, 9, 1)


def test_bronze_and_ground_truth_tables_are_disjoint_and_zoned() -> None:
    assert not set(BRONZE_TABLES) & set(GROUND_TRUTH_TABLES)
    assert {zone_of(table) for table in BRONZE_TABLES} == {"bronze"}
    assert {zone_of(table) for table in GROUND_TRUTH_TABLES} == {"ground_truth"}


def test_ground_truth_tables_are_written_under_the_ground_truth_zone(tmp_path: Path) -> None:
    labels = pl.DataFrame(
        {"order_id": ["O20250901-F00001"], "customer_id": ["C0000001"], "pattern": ["card_testing"]},
    )
    batch = BatchInfo(batch_id="b1", ingested_at=dt.datetime(2025, 9, 2, tzinfo=dt.UTC), source="generator")
    result = replace_partitions(tmp_path, "fraud_labels", with_lake_columns(labels, DAY, batch), [DAY])
    assert result.path == tmp_path / "ground_truth" / "fraud_labels" == table_path(tmp_path, "fraud_labels")
    assert not (tmp_path / "bronze").exists()
    assert read_table(tmp_path, "fraud_labels")["pattern"].to_list() == ["card_testing"]


def test_an_unknown_table_is_named_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"unknown lake table 'refunds'.*customer_lifetimes"):
        table_schema("refunds")
