"""Data files written apart from their commit replace days exactly as `replace_partitions` does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl
import pytest
from deltalake import DeltaTable, write_deltalake
from polars.testing import assert_frame_equal

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.lake.bronze import BatchInfo, WriteResult, read_table, replace_partitions, table_path
from ecap_pipeline.lake.contracts import PARTITION_COLUMN, table_schema
from ecap_pipeline.lake.data_files import DataFile, commit_data_files, write_data_files

BronzeFrame = Callable[..., pl.DataFrame]
LAKE_TABLES = ("customers", "sessions", "events", "orders", "returns", "campaign_spend", "fraud_labels")
OFFSETS = (0, 1, 2)


def _day_of(frame: pl.DataFrame) -> dt.date:
    (day,) = frame[PARTITION_COLUMN].unique()
    return day


def _replace_with_files(
    lake: Path, table: str, frames: Sequence[pl.DataFrame], days: Sequence[dt.date] | None = None
) -> WriteResult:
    """Each day's files written on its own, as a worker writes the day it generated, then one commit."""
    days = [_day_of(frame) for frame in frames] if days is None else days
    files = [
        file for frame, day in zip(frames, days, strict=True) for file in write_data_files(lake, table, frame, [day])
    ]
    return commit_data_files(lake, table, files, days)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(pl.all())


def _active_files(lake: Path, table: str) -> list[str]:
    return sorted(DeltaTable(table_path(lake, table)).file_uris())


@pytest.mark.parametrize("table", LAKE_TABLES)
def test_committed_files_hold_what_replace_partitions_writes_for_the_same_frames(
    tmp_path: Path, bronze_frame: BronzeFrame, tiny_config: ShopConfig, table: str
) -> None:
    frames = [bronze_frame(table, offset) for offset in OFFSETS]  # fraud_labels: no rows on these days
    days = [tiny_config.opening_date + dt.timedelta(days=offset) for offset in OFFSETS]
    by_replace = replace_partitions(tmp_path / "replace", table, pl.concat(frames), days)

    by_files = _replace_with_files(tmp_path / "files", table, frames, days)

    assert (by_files.rows_written, by_files.partitions, by_files.version) == (
        by_replace.rows_written,
        by_replace.partitions,
        by_replace.version,
    )
    assert_frame_equal(_sorted(read_table(tmp_path / "files", table)), _sorted(read_table(tmp_path / "replace", table)))
    written, reference = DeltaTable(by_files.path), DeltaTable(by_replace.path)
    assert written.schema() == reference.schema()
    assert written.metadata().partition_columns == reference.metadata().partition_columns == [PARTITION_COLUMN]
    assert written.protocol() == reference.protocol()


def test_a_rerun_replaces_its_days_and_leaves_the_others_untouched(
    tmp_path: Path, bronze_frame: BronzeFrame, batch: BatchInfo
) -> None:
    day_a, day_b, day_c = (bronze_frame("orders", offset) for offset in OFFSETS)
    _replace_with_files(tmp_path, "orders", [day_a, day_b])
    _replace_with_files(tmp_path, "orders", [day_c])
    rerun_batch = dataclasses.replace(batch, batch_id="batch-2")
    rerun = [bronze_frame("orders", offset, batch=rerun_batch) for offset in OFFSETS[:2]]

    result = _replace_with_files(tmp_path, "orders", rerun)

    assert result.version == 2, "one commit per replacement"
    back = read_table(tmp_path, "orders")
    assert back.height == day_a.height + day_b.height + day_c.height, "no day duplicated"
    assert_frame_equal(_sorted(back), _sorted(pl.concat([*rerun, day_c])))
    assert len(_active_files(tmp_path, "orders")) == 3, "one live file per day"


def test_a_day_without_rows_is_emptied(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    day_a, day_b = bronze_frame("events", 1), bronze_frame("events", 2)
    _replace_with_files(tmp_path, "events", [day_a, day_b])

    assert write_data_files(tmp_path, "events", day_a.clear(), [_day_of(day_a)]) == []
    result = commit_data_files(tmp_path, "events", [], [_day_of(day_a)])

    assert result.rows_written == 0
    assert read_table(tmp_path, "events", [_day_of(day_a)]).is_empty()
    assert_frame_equal(_sorted(read_table(tmp_path, "events")), _sorted(day_b))


def test_one_frame_of_several_days_gets_one_file_per_day(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    frames = [bronze_frame("sessions", offset) for offset in OFFSETS]
    files = write_data_files(tmp_path, "sessions", pl.concat(frames), [_day_of(frame) for frame in frames])

    assert sorted((file.partition, file.rows) for file in files) == [(_day_of(frame), frame.height) for frame in frames]
    assert all(file.path.startswith(f"{PARTITION_COLUMN}={file.partition.isoformat()}/") for file in files)
    assert len({file.path for file in files}) == len(files)


def test_the_two_writers_replace_each_others_days(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    day_a, day_b = bronze_frame("orders", 1), bronze_frame("orders", 2)
    replace_partitions(tmp_path, "orders", day_a, [_day_of(day_a)])
    _replace_with_files(tmp_path, "orders", [day_a, day_b])
    replace_partitions(tmp_path, "orders", day_b, [_day_of(day_b)])

    assert_frame_equal(_sorted(read_table(tmp_path, "orders")), _sorted(pl.concat([day_a, day_b])))
    assert len(_active_files(tmp_path, "orders")) == 2


def _write_then_die(lake: Path, table: str, frame: pl.DataFrame, day: dt.date) -> None:
    """A worker that writes its day's files and is killed before anyone commits them."""
    write_data_files(lake, table, frame, [day])
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_crash_before_the_commit_leaves_the_previous_version(
    tmp_path: Path, bronze_frame: BronzeFrame, batch: BatchInfo
) -> None:
    day_a = bronze_frame("events", 1)
    before = _replace_with_files(tmp_path, "events", [day_a])
    rerun = bronze_frame("events", 1, batch=dataclasses.replace(batch, batch_id="batch-2"))

    worker = multiprocessing.get_context("spawn").Process(
        target=_write_then_die, args=(tmp_path, "events", rerun, _day_of(rerun))
    )
    worker.start()
    worker.join()

    assert worker.exitcode == -signal.SIGKILL
    on_disk = sorted(str(path) for path in before.path.rglob("*.parquet") if "_delta_log" not in path.parts)
    assert len(on_disk) == 2, "the dead worker's file is in the table's folder"
    assert DeltaTable(before.path).version() == before.version
    assert len(_active_files(tmp_path, "events")) == 1
    assert_frame_equal(_sorted(read_table(tmp_path, "events")), _sorted(day_a))
    assert_frame_equal(_sorted(pl.scan_delta(str(before.path)).collect()), _sorted(day_a))


def test_a_failure_before_the_commit_leaves_the_previous_version(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    day_a, day_b = bronze_frame("orders", 1), bronze_frame("orders", 2)
    before = _replace_with_files(tmp_path, "orders", [day_a])
    written = write_data_files(tmp_path, "orders", day_a, [_day_of(day_a)])

    with pytest.raises(ValueError, match="does not match the contract"):
        write_data_files(tmp_path, "orders", day_b.drop("_source"), [_day_of(day_b)])

    assert written, "the first day's files were written, but never committed"
    assert DeltaTable(before.path).version() == before.version
    assert_frame_equal(_sorted(read_table(tmp_path, "orders")), _sorted(day_a))


def test_deltalake_polars_and_duckdb_read_the_committed_table(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    frames = [bronze_frame("order_items", offset) for offset in OFFSETS]
    result = _replace_with_files(tmp_path, "order_items", frames)
    expected = _sorted(pl.concat(frames))
    table = DeltaTable(result.path)

    by_deltalake = pl.DataFrame(table.to_pyarrow_table())
    by_polars = pl.scan_delta(str(result.path)).collect()
    warehouse = duckdb.connect()
    warehouse.register("order_items", table.to_pyarrow_dataset())  # as dbt-duckdb's delta plugin does
    by_duckdb = warehouse.sql("select * from order_items").pl()

    assert by_polars.schema == table_schema("order_items")
    for frame in (by_deltalake, by_polars, by_duckdb):  # DuckDB names the time zone Etc/UTC
        assert_frame_equal(_sorted(frame.select(expected.columns).cast(dict(expected.schema))), expected)
    one_day = warehouse.execute(f"select count(*) from order_items where {PARTITION_COLUMN} = ?", [_day_of(frames[1])])
    assert one_day.fetchone() == (frames[1].height,)


def test_file_statistics_bound_every_value(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    events = bronze_frame("events", 2)
    (file,) = write_data_files(tmp_path, "events", events, [_day_of(events)])
    stats = json.loads(file.stats)
    rows = events.drop(PARTITION_COLUMN)

    assert stats["numRecords"] == file.rows == rows.height
    assert stats["nullCount"] == {column: rows[column].null_count() for column in rows.columns}
    for column in rows.columns:
        values = rows[column].drop_nulls()
        low, high = stats["minValues"][column], stats["maxValues"][column]
        if values.dtype == pl.Datetime("us", "UTC"):
            low, high = (dt.datetime.fromisoformat(bound) for bound in (low, high))
        assert low <= values.min(), column
        assert values.max() <= high, column


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        pytest.param(lambda file: dataclasses.replace(file, table="sessions"), "for table 'sessions'", id="table"),
        pytest.param(
            lambda file: dataclasses.replace(file, partition=dt.date(2030, 1, 1)), "outside the partitions", id="day"
        ),
        pytest.param(lambda file: dataclasses.replace(file, size=file.size + 1), "missing or changed", id="size"),
        pytest.param(lambda file: dataclasses.replace(file, path=file.path + ".gone"), "missing or changed", id="path"),
    ],
)
def test_a_file_that_does_not_fit_the_commit_raises_and_commits_nothing(
    tmp_path: Path, bronze_frame: BronzeFrame, tamper: Callable[[DataFile], DataFile], message: str
) -> None:
    orders = bronze_frame("orders", 1)
    before = _replace_with_files(tmp_path, "orders", [orders])
    (file,) = write_data_files(tmp_path, "orders", orders, [_day_of(orders)])
    days = [_day_of(orders), dt.date(2030, 1, 2)] if message == "outside the partitions" else [_day_of(orders)]

    with pytest.raises(ValueError, match=message):
        commit_data_files(tmp_path, "orders", [tamper(file)], days)

    assert DeltaTable(before.path).version() == before.version


def test_committing_no_days_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs at least one partition date"):
        commit_data_files(tmp_path, "orders", [], [])


def test_a_table_on_disk_with_another_schema_is_not_committed_to(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    orders = bronze_frame("orders", 1)
    other = orders.drop("currency").to_arrow()
    path = table_path(tmp_path, "orders")
    write_deltalake(path, other, partition_by=[PARTITION_COLUMN])
    files = write_data_files(tmp_path, "orders", orders, [_day_of(orders)])

    with pytest.raises(ValueError, match="not the contract's"):
        commit_data_files(tmp_path, "orders", files, [_day_of(orders)])
    assert DeltaTable(path).version() == 0


def test_commits_of_different_days_from_threads_all_land(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    frames = [bronze_frame("events", offset) for offset in (1, 2, 3, 4)]

    with ThreadPoolExecutor(max_workers=len(frames)) as pool:
        results = list(pool.map(lambda frame: _replace_with_files(tmp_path, "events", [frame]), frames))

    assert sorted(result.version for result in results) == [0, 1, 2, 3]
    assert_frame_equal(_sorted(read_table(tmp_path, "events")), _sorted(pl.concat(frames)))


def test_replacing_one_sources_rows_keeps_the_rows_other_sources_landed_on_those_days(
    tmp_path: Path, bronze_frame: BronzeFrame, batch: BatchInfo
) -> None:
    day = bronze_frame("orders", OFFSETS[0])
    landed = (
        day.head(2)
        .with_columns(pl.lit("landing:orders/export.csv").alias("_source"))
        .with_columns(("L-" + pl.col("order_id")).alias("order_id"))
    )
    _replace_with_files(tmp_path, "orders", [day])
    write_deltalake(table_path(tmp_path, "orders"), landed.to_arrow(), mode="append")
    rerun = bronze_frame("orders", OFFSETS[0], batch=dataclasses.replace(batch, batch_id="batch-2"))
    days = rerun[PARTITION_COLUMN].unique().to_list()

    commit_data_files(tmp_path, "orders", write_data_files(tmp_path, "orders", rerun, days), days, source=batch.source)

    assert_frame_equal(_sorted(read_table(tmp_path, "orders")), _sorted(pl.concat([rerun, landed])))
