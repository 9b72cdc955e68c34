"""Bronze writes replace whole days, atomically, and never touch other days."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecap_pipeline.lake.bronze import BatchInfo, read_table, replace_partitions, table_path
from ecap_pipeline.lake.contracts import BRONZE_TABLES, PARTITION_COLUMN, table_schema

BronzeFrame = Callable[..., pl.DataFrame]
KEYS = {"orders": ["order_id"], "events": ["event_id"], "sessions": ["session_id"]}


def _day_of(frame: pl.DataFrame) -> dt.date:
    (day,) = frame[PARTITION_COLUMN].unique()
    return day


def _read_day(lake: Path, table: str, day: dt.date) -> pl.DataFrame:
    return read_table(lake, table, [day]).sort(KEYS[table])


def test_with_lake_columns_follows_the_bronze_schema(bronze_frame: BronzeFrame, batch: BatchInfo) -> None:
    for table in BRONZE_TABLES:
        frame = bronze_frame(table, 2)
        assert frame.schema == table_schema(table), table
    orders = bronze_frame("orders", 2)
    assert orders.select(PARTITION_COLUMN, "_ingested_at", "_batch_id", "_source").unique().rows() == [
        (dt.date(2025, 9, 3), batch.ingested_at, "batch-1", "unit-test")
    ]


def test_a_written_day_reads_back_unchanged(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    orders = bronze_frame("orders", 2)
    result = replace_partitions(tmp_path, "orders", orders, [_day_of(orders)])
    assert (result.table, result.path, result.rows_written) == (
        "orders",
        table_path(tmp_path, "orders"),
        orders.height,
    )
    assert result.partitions == (dt.date(2025, 9, 3),)
    back = read_table(tmp_path, "orders")
    assert back.schema == table_schema("orders")
    assert_frame_equal(back.sort("order_id"), orders.sort("order_id"))


def test_replacing_the_same_day_twice_leaves_one_copy(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    events = bronze_frame("events", 2)
    day = _day_of(events)
    first = replace_partitions(tmp_path, "events", events, [day])
    second = replace_partitions(tmp_path, "events", events, [day])
    assert second.version == first.version + 1
    back = read_table(tmp_path, "events")
    assert back.height == events.height
    assert_frame_equal(back.sort("event_id"), events.sort("event_id"))


def test_replacing_one_day_leaves_the_other_days_untouched(
    tmp_path: Path, bronze_frame: BronzeFrame, batch: BatchInfo
) -> None:
    day_a, day_b = bronze_frame("orders", 2), bronze_frame("orders", 3)
    replace_partitions(tmp_path, "orders", day_a, [_day_of(day_a)])
    replace_partitions(tmp_path, "orders", day_b, [_day_of(day_b)])

    rerun = bronze_frame("orders", 2, batch=dataclasses.replace(batch, batch_id="batch-2"))
    replace_partitions(tmp_path, "orders", rerun, [_day_of(rerun)])

    assert_frame_equal(_read_day(tmp_path, "orders", _day_of(day_b)), day_b.sort("order_id"))
    assert_frame_equal(_read_day(tmp_path, "orders", _day_of(day_a)), rerun.sort("order_id"))
    assert read_table(tmp_path, "orders").height == day_a.height + day_b.height


def test_replacing_several_days_at_once(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    days = [bronze_frame("orders", offset) for offset in (1, 2, 3)]
    together = pl.concat(days)
    result = replace_partitions(tmp_path, "orders", together, [_day_of(frame) for frame in days])
    assert result.rows_written == together.height
    assert len(result.partitions) == 3
    assert_frame_equal(read_table(tmp_path, "orders").sort("order_id"), together.sort("order_id"))


def test_an_empty_frame_empties_its_day(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    day_a, day_b = bronze_frame("orders", 2), bronze_frame("orders", 3)
    replace_partitions(tmp_path, "orders", pl.concat([day_a, day_b]), [_day_of(day_a), _day_of(day_b)])

    result = replace_partitions(tmp_path, "orders", day_a.clear(), [_day_of(day_a)])

    assert result.rows_written == 0
    assert read_table(tmp_path, "orders", [_day_of(day_a)]).is_empty()
    assert_frame_equal(_read_day(tmp_path, "orders", _day_of(day_b)), day_b.sort("order_id"))


def test_a_row_outside_the_replaced_days_raises_naming_the_table(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    day_a, day_b = bronze_frame("orders", 2), bronze_frame("orders", 3)
    with pytest.raises(ValueError, match=r"bronze table 'orders'.*outside the partitions.*2025-09-04"):
        replace_partitions(tmp_path, "orders", pl.concat([day_a, day_b]), [_day_of(day_a)])
    assert not table_path(tmp_path, "orders").exists(), "nothing was written"


@pytest.mark.parametrize(
    "break_schema",
    [
        pytest.param(lambda frame: frame.drop("_source"), id="missing-column"),
        pytest.param(lambda frame: frame.with_columns(pl.col("quantity").cast(pl.Int64)), id="wrong-dtype"),
        pytest.param(lambda frame: frame.select(reversed(frame.columns)), id="wrong-order"),
        pytest.param(lambda frame: frame.with_columns(pl.lit(1).alias("extra")), id="extra-column"),
        pytest.param(
            lambda frame: frame.with_columns(pl.col("_ingested_at").dt.replace_time_zone(None)), id="naive-timestamp"
        ),
    ],
)
def test_a_frame_with_the_wrong_schema_raises(
    tmp_path: Path, bronze_frame: BronzeFrame, break_schema: Callable[[pl.DataFrame], pl.DataFrame]
) -> None:
    items = bronze_frame("order_items", 2)
    with pytest.raises(ValueError, match=r"bronze table 'order_items'.*does not match the contract"):
        replace_partitions(tmp_path, "order_items", break_schema(items), [_day_of(items)])
    assert not table_path(tmp_path, "order_items").exists()


def test_replacing_no_days_raises(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    with pytest.raises(ValueError, match="needs at least one partition date"):
        replace_partitions(tmp_path, "orders", bronze_frame("orders", 2).clear(), [])


@pytest.mark.parametrize("table", BRONZE_TABLES)
def test_reading_a_missing_table_gives_an_empty_frame_with_the_bronze_schema(tmp_path: Path, table: str) -> None:
    frame = read_table(tmp_path, table)
    assert frame.is_empty()
    assert frame.schema == table_schema(table)


def test_reading_only_some_days(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    days = [bronze_frame("sessions", offset) for offset in (1, 2, 3)]
    replace_partitions(tmp_path, "sessions", pl.concat(days), [_day_of(frame) for frame in days])
    wanted = [_day_of(days[0]), _day_of(days[2])]
    assert_frame_equal(
        read_table(tmp_path, "sessions", wanted).sort("session_id"),
        pl.concat([days[0], days[2]]).sort("session_id"),
    )
    assert read_table(tmp_path, "sessions", [dt.date(2030, 1, 1)]).is_empty()
