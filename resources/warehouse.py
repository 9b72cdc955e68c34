"""The DuckDB warehouse file that dbt builds, models add score tables to, and analysts read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
from dagster import ConfigurableResource

from ecap_pipeline.warehouse.publish import publishing, scratch_copy

_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class TableSnapshot:
    """What a published table holds, as people glance at it: its size, its columns, its first rows."""

    row_count: int
    columns: tuple[tuple[str, str], ...]
    head: pl.DataFrame


class WarehouseResource(ConfigurableResource):
    """`<data_dir>/warehouse/ecap.duckdb`, published whole by each writer and read without locks.

    Writers never open the published file: they write a private copy and publish it atomically
    (see `ecap_pipeline.warehouse.publish`), so analysts' read-only connections never meet a
    writer's lock. Readers here open short-lived read-only connections, exactly as an analyst would.
    """

    path: str

    @contextmanager
    def publishing(self) -> Iterator[Path]:
        """Yield the private copy to write (dbt's `next` target); publish it if the block succeeds."""
        with publishing(Path(self.path)) as private:
            yield private

    @contextmanager
    def scratch_copy(self) -> Iterator[Path]:
        """Yield a writable copy of the warehouse (dbt's `next` target) that is never published."""
        with scratch_copy(Path(self.path)) as private:
            yield private

    def replace_tables(self, frames: Mapping[str, pl.DataFrame]) -> None:
        """Create or replace each table of schema `main` with its frame, all in one publish.

        Tables other writers published (dbt's models, other scores) are kept as they are.
        """
        for name, frame in frames.items():
            _check_table(name, frame, self.path)
        if not frames:
            return
        with self.publishing() as private, duckdb.connect(str(private)) as connection:
            for name, frame in frames.items():
                connection.register("_ecap_frame", frame.to_arrow())
                connection.execute(f'create or replace table main."{name}" as select * from _ecap_frame')
                connection.unregister("_ecap_frame")

    def read_frame(self, sql: str) -> pl.DataFrame:
        """The result of `sql` against the published warehouse, from a short-lived read-only connection."""
        if not Path(self.path).exists():
            msg = f"the warehouse {self.path} does not exist yet: build it first (`ecap build`)"
            raise FileNotFoundError(msg)
        with duckdb.connect(self.path, read_only=True) as connection:
            return pl.from_arrow(connection.sql(sql).to_arrow_table())

    def table_snapshots(self, tables: Iterable[str], *, head_rows: int = 5) -> dict[str, TableSnapshot]:
        """Row count, column types and first `head_rows` rows of each named table or view in `main`.

        Names that are not in the published warehouse are left out.
        """
        wanted = set(tables)
        if not wanted or not Path(self.path).exists():
            return {}
        with duckdb.connect(self.path, read_only=True) as connection:
            present = _tables_in_main(connection)
            snapshots = {}
            for name in sorted(wanted & present):
                relation = f'main."{name}"'
                columns = connection.execute(
                    "select column_name, data_type from information_schema.columns"
                    " where table_schema = 'main' and table_name = ? order by ordinal_position",
                    [name],
                ).fetchall()
                snapshots[name] = TableSnapshot(
                    row_count=connection.execute(f"select count(*) from {relation}").fetchall()[0][0],
                    columns=tuple((column, data_type) for column, data_type in columns),
                    head=pl.from_arrow(
                        connection.sql(f"select * from {relation} limit {int(head_rows)}").to_arrow_table()
                    ),
                )
            return snapshots


def _check_table(name: str, frame: pl.DataFrame, path: str) -> None:
    if not _TABLE_NAME.fullmatch(name):
        msg = f"cannot write table {name!r} to {path}: a table name must be lowercase letters, digits and _"
        raise ValueError(msg)
    if not frame.columns:
        msg = f"cannot write table {name!r} to {path}: the frame has no columns"
        raise ValueError(msg)


def _tables_in_main(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the `main` schema."""
    query = "select table_name from information_schema.tables where table_schema = 'main'"
    return {name for (name,) in connection.execute(query).fetchall()}
