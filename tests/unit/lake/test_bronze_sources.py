"""Replacing one source's rows of a day (the generator's) keeps the rows other sources landed that day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecap_pipeline.lake.bronze import BatchInfo, read_table, replace_partitions
from ecap_pipeline.lake.contracts import PARTITION_COLUMN

BronzeFrame = Callable[..., pl.DataFrame]


def _landed_copy(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame`'s rows as if landed from a file: other order ids, another `_source`."""
    return frame.with_columns(
        ("L-" + pl.col("order_id")).alias("order_id"), pl.lit("landing:orders/a.csv").alias("_source")
    )


def test_replacing_the_generator_rows_of_a_day_keeps_the_landed_rows(
    tmp_path: Path, bronze_frame: BronzeFrame, batch: BatchInfo
) -> None:
    generator = dataclasses.replace(batch, source="generator")
    orders = bronze_frame("orders", 2, batch=generator)
    day = orders.item(0, PARTITION_COLUMN)
    landed = _landed_copy(orders.head(3))
    replace_partitions(tmp_path, "orders", pl.concat([orders, landed]), [day])

    rerun = bronze_frame("orders", 2, batch=dataclasses.replace(generator, batch_id="batch-2"))
    replace_partitions(tmp_path, "orders", rerun, [day], source="generator")

    back = read_table(tmp_path, "orders").sort("order_id")
    assert_frame_equal(back, pl.concat([rerun, landed]).sort("order_id"))


def test_replacing_an_emptied_day_of_the_generator_keeps_the_landed_rows(
    tmp_path: Path, bronze_frame: BronzeFrame, batch: BatchInfo
) -> None:
    orders = bronze_frame("orders", 2, batch=dataclasses.replace(batch, source="generator"))
    day = orders.item(0, PARTITION_COLUMN)
    landed = _landed_copy(orders.head(2))
    replace_partitions(tmp_path, "orders", pl.concat([orders, landed]), [day])
    replace_partitions(tmp_path, "orders", orders.clear(), [day], source="generator")
    assert_frame_equal(read_table(tmp_path, "orders").sort("order_id"), landed.sort("order_id"))


def test_replacing_one_source_refuses_rows_of_another_source(tmp_path: Path, bronze_frame: BronzeFrame) -> None:
    orders = bronze_frame("orders", 2)
    with pytest.raises(ValueError, match=r"'orders'.*source 'generator'.*another _source, e.g. 'unit-test'"):
        replace_partitions(tmp_path, "orders", orders, [dt.date(2025, 9, 3)], source="generator")
