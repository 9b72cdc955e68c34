"""Compaction, vacuum and the retention policy on real Delta tables of the tiny shop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable, write_deltalake

from ecap_pipeline.lake.bronze import read_table, replace_partitions, table_path
from ecap_pipeline.lake.data_files import write_data_files
from ecap_pipeline.lake.maintenance import (
    SAFE_RETENTION_HOURS,
    UnsafeRetentionError,
    compact_table,
    drop_partitions_before,
    newest_partition,
    retention_cutoff,
    vacuum_table,
    written_tables,
)

BronzeFrame = Callable[..., pl.DataFrame]
OFFSETS = (0, 1, 2, 3)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(pl.all())


def _live_files(lake: Path, table: str) -> int:
    return len(DeltaTable(table_path(lake, table)).file_uris())


def _parquet_on_disk(lake: Path, table: str) -> int:
    return sum(1 for file in table_path(lake, table).rglob("*.parquet") if "_delta_log" not in file.parts)


@pytest.fixture
def events(tmp_path: Path, bronze_frame: BronzeFrame) -> pl.DataFrame:
    """Four days of events, each landed as four small appended files (as landed files arrive)."""
    frames = [bronze_frame("events", offset) for offset in OFFSETS]
    path = table_path(tmp_path, "events")
    for frame in frames:
        for slice_number in range(4):
            rows = frame.gather_every(4, offset=slice_number)
            write_deltalake(path, rows.to_arrow(), partition_by=["partition_date"], mode="append")
    return pl.concat(frames)


def test_compaction_merges_each_days_small_files_and_keeps_every_row(tmp_path: Path, events: pl.DataFrame) -> None:
    assert _live_files(tmp_path, "events") == 16

    result = compact_table(tmp_path, "events")

    assert (result.files_before, result.files_after) == (16, 4), "one file per day"
    assert _live_files(tmp_path, "events") == 4
    assert read_table(tmp_path, "events").pipe(_sorted).equals(_sorted(events))


def test_compacting_a_compacted_table_commits_nothing(tmp_path: Path, events: pl.DataFrame) -> None:
    first = compact_table(tmp_path, "events")

    second = compact_table(tmp_path, "events")

    assert second.version == first.version
    assert (second.files_before, second.files_after) == (4, 4)


@pytest.mark.parametrize("hours", [0, 24, SAFE_RETENTION_HOURS - 1])
def test_vacuum_refuses_a_retention_below_seven_days_without_the_override(
    tmp_path: Path, events: pl.DataFrame, hours: int
) -> None:
    compact_table(tmp_path, "events")
    on_disk = _parquet_on_disk(tmp_path, "events")

    with pytest.raises(UnsafeRetentionError, match=rf"'events' refused: retention_hours={hours} .* 168 h"):
        vacuum_table(tmp_path, "events", retention_hours=hours)

    assert _parquet_on_disk(tmp_path, "events") == on_disk, "nothing deleted"


def test_vacuum_refuses_a_negative_retention_even_with_the_override(tmp_path: Path, events: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="retention_hours=-1 must be 0 or more"):
        vacuum_table(tmp_path, "events", retention_hours=-1, allow_short_retention=True)


def test_vacuum_at_the_safe_default_keeps_files_replaced_moments_ago(tmp_path: Path, events: pl.DataFrame) -> None:
    compact_table(tmp_path, "events")

    result = vacuum_table(tmp_path, "events")

    assert result.retention_hours == SAFE_RETENTION_HOURS
    assert result.deleted == ()
    assert _parquet_on_disk(tmp_path, "events") == 20


def test_vacuum_with_the_override_deletes_replaced_and_never_committed_files_only(
    tmp_path: Path, events: pl.DataFrame, bronze_frame: BronzeFrame
) -> None:
    compact_table(tmp_path, "events")
    killed_writer = write_data_files(tmp_path, "events", bronze_frame("events", 5), [dt.date(2025, 9, 6)])
    dry = vacuum_table(tmp_path, "events", retention_hours=0, allow_short_retention=True, dry_run=True)
    assert _parquet_on_disk(tmp_path, "events") == 21, "a dry run deletes nothing"

    result = vacuum_table(tmp_path, "events", retention_hours=0, allow_short_retention=True)

    assert result.deleted == dry.deleted
    assert len(result.deleted) == 17, "16 compacted away + 1 never committed"
    assert killed_writer[0].path in result.deleted
    assert _parquet_on_disk(tmp_path, "events") == 4
    assert read_table(tmp_path, "events").pipe(_sorted).equals(_sorted(events))


def test_retention_drops_only_the_days_before_the_cutoff(tmp_path: Path, events: pl.DataFrame) -> None:
    newest = newest_partition(tmp_path, "events")
    assert newest is not None
    cutoff = retention_cutoff(newest, 2)

    result = drop_partitions_before(tmp_path, "events", cutoff)

    old = events.filter(pl.col("partition_date") < cutoff)
    assert result.dropped_days == tuple(sorted(old["partition_date"].unique()))
    assert len(result.dropped_days) == 2
    assert result.rows_deleted == old.height
    assert (
        read_table(tmp_path, "events").pipe(_sorted).equals(_sorted(events.filter(pl.col("partition_date") >= cutoff)))
    )


def test_retention_with_nothing_old_enough_commits_nothing(tmp_path: Path, events: pl.DataFrame) -> None:
    version = DeltaTable(table_path(tmp_path, "events")).version()

    result = drop_partitions_before(tmp_path, "events", dt.date(2025, 1, 1))

    assert (result.dropped_days, result.rows_deleted) == ((), 0)
    assert DeltaTable(table_path(tmp_path, "events")).version() == version


def test_retention_refuses_tables_partitioned_by_signup_day(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    customers = bronze_frame("customers", 0)
    replace_partitions(tmp_path, "customers", customers, [customers["partition_date"][0]])

    with pytest.raises(ValueError, match="'customers' is exempt from the retention policy"):
        drop_partitions_before(tmp_path, "customers", dt.date(2030, 1, 1))
    assert read_table(tmp_path, "customers").height == customers.height


def test_retention_keeps_at_least_one_day() -> None:
    assert retention_cutoff(dt.date(2025, 9, 30), 1) == dt.date(2025, 9, 30)
    assert retention_cutoff(dt.date(2025, 9, 30), 30) == dt.date(2025, 9, 1)
    with pytest.raises(ValueError, match="keep at least one day, got keep_days=0"):
        retention_cutoff(dt.date(2025, 9, 30), 0)


def test_maintaining_a_table_never_written_names_its_path(tmp_path: Path) -> None:
    assert written_tables(tmp_path, ["orders", "events"]) == []
    assert newest_partition(tmp_path, "orders") is None
    with pytest.raises(FileNotFoundError, match=r"bronze table 'orders': no Delta table at .*bronze/orders"):
        compact_table(tmp_path, "orders")
