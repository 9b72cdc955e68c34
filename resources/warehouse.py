"""The DuckDB warehouse file that dbt builds and analysts read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import polars as pl
from dagster import ConfigurableResource

from ecap_pipeline.locks import exclusive_lock


class WarehouseResource(ConfigurableResource):
    """The DuckDB file `<data_dir>/warehouse/ecap.duckdb`: dbt builds it, model scores are added to it."""

    path: str

    def read_frame(self, sql: str) -> pl.DataFrame:
        """The result of `sql` on a short-lived read-only connection."""
        if not Path(self.path).exists():
            msg = f"the warehouse {self.path} does not exist yet: build it first (`ecap build`)"
            raise FileNotFoundError(msg)
        with duckdb.connect(self.path, read_only=True) as connection:
            return pl.from_arrow(connection.sql(sql).to_arrow_table())

    def replace_tables(self, frames: Mapping[str, pl.DataFrame]) -> None:
        """Create or replace each table of `frames` in schema `main`, all in one transaction."""
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(Path(self.path).with_suffix(".write.lock")), duckdb.connect(self.path) as connection:
            connection.begin()
            for name, frame in frames.items():
                connection.register("incoming", frame.to_arrow())
                connection.execute(f'create or replace table main."{name}" as select * from incoming')
                connection.unregister("incoming")
            connection.commit()

    def row_counts(self, tables: Iterable[str]) -> dict[str, int]:
        """Rows of each named table in the `main` schema; tables that do not exist are left out.

        Opens a short-lived read-only connection, exactly as an analyst would, so counting never
        holds a lock that a later dbt run would trip on.
        """
        wanted = set(tables)
        if not wanted or not Path(self.path).exists():
            return {}
        with duckdb.connect(self.path, read_only=True) as connection:
            present = {
                name
                for (name,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = 'main'"
                ).fetchall()
            }
            return {
                name: connection.execute(f'select count(*) from main."{name}"').fetchone()[0]
                for name in sorted(wanted & present)
            }
