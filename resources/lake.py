"""The Delta Lake on local disk, as a Dagster resource."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from dagster import ConfigurableResource

from ecap_pipeline.lake.bronze import BatchInfo, WriteResult, read_table, replace_partitions
from ecap_pipeline.lake.day_writer import DayGenerator, TableWrite, write_days


class LakeResource(ConfigurableResource):
    """Bronze tables under `<data_dir>/lake/bronze/<table>`, written a day at a time."""

    data_dir: str

    @property
    def root(self) -> Path:
        return Path(self.data_dir) / "lake"

    def replace_partitions(
        self, table: str, frame: pl.DataFrame, days: Sequence[dt.date], *, source: str | None = None
    ) -> WriteResult:
        """Swap the given days of `table` (only `source`'s rows, if given) for `frame`'s rows, in one Delta commit."""
        return replace_partitions(self.root, table, frame, days, source=source)

    def write_generated_days(
        self, tables: Sequence[str], days: Sequence[dt.date], generate: DayGenerator, batch: BatchInfo
    ) -> dict[str, TableWrite]:
        """Generate `days` one by one and replace them in every table, one crash-safe commit per table."""
        return write_days(self.root, tables, days, generate, batch)

    def read(self, table: str, days: Sequence[dt.date] | None = None) -> pl.DataFrame:
        """Rows of bronze `table`, optionally only some days."""
        return read_table(self.root, table, days)
