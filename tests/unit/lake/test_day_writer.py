"""The bronze write path: days generated one at a time, one commit per table, reruns converge."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import GENERATED_TABLES, generate_day
from ecap_pipeline.lake.bronze import BatchInfo, read_table, replace_partitions, with_lake_columns
from ecap_pipeline.lake.day_writer import PREVIEW_ROWS, write_days


def _days(config: ShopConfig, *offsets: int) -> list[dt.date]:
    return [config.opening_date + dt.timedelta(days=offset) for offset in offsets]


def _without_lineage(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop("_ingested_at", "_batch_id").sort(pl.all())


class CountingGenerator:
    """The tiny shop's generator, remembering which days it was asked for and in what order."""

    def __init__(self, config: ShopConfig) -> None:
        self.config = config
        self.calls: list[dt.date] = []

    def __call__(self, day: dt.date) -> Mapping[str, pl.DataFrame]:
        self.calls.append(day)
        return generate_day(self.config, day)


def test_every_table_gets_one_commit_with_the_rows_of_every_day(
    tmp_path: Path, tiny_config: ShopConfig, batch: BatchInfo
) -> None:
    days = _days(tiny_config, 0, 1, 2)
    generator = CountingGenerator(tiny_config)

    written = write_days(tmp_path, GENERATED_TABLES, days, generator, batch)

    assert generator.calls == days, "each day generated once, in order"
    for table in GENERATED_TABLES:
        expected = pl.concat([with_lake_columns(generate_day(tiny_config, day)[table], day, batch) for day in days])
        assert written[table].result.version == 0, table
        assert written[table].result.rows_written == expected.height, table
        assert read_table(tmp_path, table).sort(pl.all()).equals(expected.sort(pl.all())), table


def test_it_writes_what_replace_partitions_writes(tmp_path: Path, tiny_config: ShopConfig, batch: BatchInfo) -> None:
    days = _days(tiny_config, 0, 1)
    write_days(tmp_path / "days", ["orders", "events"], days, CountingGenerator(tiny_config), batch)

    for table in ("orders", "events"):
        frame = pl.concat([with_lake_columns(generate_day(tiny_config, day)[table], day, batch) for day in days])
        replace_partitions(tmp_path / "replace", table, frame, days)
        by_days, by_replace = read_table(tmp_path / "days", table), read_table(tmp_path / "replace", table)
        assert by_days.sort(pl.all()).equals(by_replace.sort(pl.all())), table


def test_a_rerun_of_some_days_converges_to_a_single_clean_run(
    tmp_path: Path, tiny_config: ShopConfig, batch: BatchInfo
) -> None:
    generator = CountingGenerator(tiny_config)
    write_days(tmp_path / "clean", GENERATED_TABLES, _days(tiny_config, 0, 1, 2), generator, batch)
    write_days(tmp_path / "rerun", GENERATED_TABLES, _days(tiny_config, 0, 1), generator, batch)
    rerun_batch = dataclasses.replace(batch, batch_id="batch-2", ingested_at=batch.ingested_at + dt.timedelta(hours=1))

    written = write_days(tmp_path / "rerun", GENERATED_TABLES, _days(tiny_config, 1, 2), generator, rerun_batch)

    for table in GENERATED_TABLES:
        assert written[table].result.version == 1, "one more commit per table"
        clean, rerun = read_table(tmp_path / "clean", table), read_table(tmp_path / "rerun", table)
        assert _without_lineage(rerun).equals(_without_lineage(clean)), table
    orders = read_table(tmp_path / "rerun", "orders")
    assert set(orders["_batch_id"]) == {"batch-1", "batch-2"}, "the lineage says which run wrote each day"


def test_the_preview_holds_the_first_rows_written(tmp_path: Path, tiny_config: ShopConfig, batch: BatchInfo) -> None:
    days = _days(tiny_config, 0, 1)

    written = write_days(tmp_path, ["orders", "fraud_labels"], days, CountingGenerator(tiny_config), batch)

    first_day = with_lake_columns(generate_day(tiny_config, days[0])["orders"], days[0], batch)
    assert written["orders"].preview.equals(first_day.head(PREVIEW_ROWS))
    assert written["fraud_labels"].preview.is_empty()
    assert written["fraud_labels"].preview.schema == read_table(tmp_path, "fraud_labels").schema


def test_a_table_the_generator_does_not_return_fails_before_any_commit(
    tmp_path: Path, tiny_config: ShopConfig, batch: BatchInfo
) -> None:
    def events_only(day: dt.date) -> Mapping[str, pl.DataFrame]:
        return {"events": generate_day(tiny_config, day)["events"]}

    with pytest.raises(KeyError, match="lake table 'orders': the generator returned no frame for 2025-"):
        write_days(tmp_path, ["events", "orders"], _days(tiny_config, 0), events_only, batch)

    assert not DeltaTable.is_deltatable(str(tmp_path / "bronze" / "events"))


def test_writing_no_days_raises(tmp_path: Path, batch: BatchInfo) -> None:
    with pytest.raises(ValueError, match="needs at least one partition date"):
        write_days(tmp_path, ["orders"], [], lambda _day: {}, batch)
