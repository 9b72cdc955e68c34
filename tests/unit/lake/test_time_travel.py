"""Restoring a lake table to an earlier version gives back exactly that version's rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from ecap_pipeline.lake.bronze import read_table, replace_partitions
from ecap_pipeline.lake.maintenance import drop_partitions_before, vacuum_table
from ecap_pipeline.lake.time_travel import restore_table, table_versions

BronzeFrame = Callable[..., pl.DataFrame]


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(pl.all())


@pytest.fixture
def orders(tmp_path: Path, bronze_frame: BronzeFrame) -> list[pl.DataFrame]:
    """`orders` after each of three commits: day 1; days 1-2; day 1 dropped by the retention policy."""
    day_1, day_2 = bronze_frame("orders", 1), bronze_frame("orders", 2)
    replace_partitions(tmp_path, "orders", day_1, [day_1["partition_date"][0]])
    replace_partitions(tmp_path, "orders", day_2, [day_2["partition_date"][0]])
    drop_partitions_before(tmp_path, "orders", day_2["partition_date"][0])
    return [day_1, pl.concat([day_1, day_2]), day_2]


def test_the_history_lists_every_commit_in_order(tmp_path: Path, orders: list[pl.DataFrame]) -> None:
    versions = table_versions(tmp_path, "orders")

    assert [(entry.version, entry.operation) for entry in versions] == [
        (0, "WRITE"),
        (1, "WRITE"),
        (2, "DELETE"),
    ]
    assert versions[0].committed_at <= versions[-1].committed_at


@pytest.mark.parametrize("version", [0, 1])
def test_restore_returns_the_table_to_that_versions_content(
    tmp_path: Path, orders: list[pl.DataFrame], version: int
) -> None:
    result = restore_table(tmp_path, "orders", version)

    assert (result.previous_version, result.restored_version, result.new_version) == (2, version, 3)
    assert read_table(tmp_path, "orders").pipe(_sorted).equals(_sorted(orders[version]))


def test_a_restore_can_itself_be_undone(tmp_path: Path, orders: list[pl.DataFrame]) -> None:
    restore_table(tmp_path, "orders", 0)

    restore_table(tmp_path, "orders", 2)

    assert read_table(tmp_path, "orders").pipe(_sorted).equals(_sorted(orders[2]))


def test_restoring_a_version_the_table_does_not_have_lists_the_ones_it_has(
    tmp_path: Path, orders: list[pl.DataFrame]
) -> None:
    with pytest.raises(ValueError, match="bronze table 'orders' has no version 7: its log holds versions 0 to 2"):
        restore_table(tmp_path, "orders", 7)


def test_restoring_a_version_whose_files_were_vacuumed_says_so(tmp_path: Path, orders: list[pl.DataFrame]) -> None:
    vacuum_table(tmp_path, "orders", retention_hours=0, allow_short_retention=True)

    with pytest.raises(ValueError, match=r"cannot be restored to version 1: .*vacuum may have deleted"):
        restore_table(tmp_path, "orders", 1)
    assert read_table(tmp_path, "orders").pipe(_sorted).equals(_sorted(orders[2])), "the table is unchanged"


def test_restoring_an_unknown_or_unwritten_table_names_it(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="unknown lake table 'ordres'; known tables: customers"):
        restore_table(tmp_path, "ordres", 0)
    with pytest.raises(FileNotFoundError, match="bronze table 'returns': no Delta table at"):
        restore_table(tmp_path, "returns", 0)
