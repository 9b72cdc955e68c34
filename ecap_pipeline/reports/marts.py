"""Reading the marts for the reports: one read-only DuckDB connection, as an analyst would open it.

The reports only ever read the published warehouse file, so they never meet a writer's lock and
never change what analysts see.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl


class MartUnavailableError(LookupError):
    """A mart the report reads is absent or empty; the message says which and why."""


@dataclass(frozen=True)
class MartReader:
    """Queries against the marts of one open read-only connection."""

    connection: duckdb.DuckDBPyConnection
    path: Path

    def tables(self) -> set[str]:
        """Names of the tables and views in the `main` schema."""
        rows = self.connection.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
        return {name for (name,) in rows}

    def row_count(self, table: str) -> int:
        """Rows of `table`; raises MartUnavailableError when it does not exist."""
        self.require(table)
        (count,) = self.connection.execute(f'select count(*) from main."{table}"').fetchone() or (0,)
        return int(count)

    def require(self, *tables: str) -> None:
        """Raise MartUnavailableError naming the first of `tables` the warehouse does not hold."""
        present = self.tables()
        for table in tables:
            if table not in present:
                msg = f"the warehouse {self.path.name} has no table {table}"
                raise MartUnavailableError(msg)

    def frame(self, sql: str) -> pl.DataFrame:
        """The result of `sql` as a polars frame."""
        return pl.from_arrow(self.connection.sql(sql).to_arrow_table())  # type: ignore[return-value]

    def table(self, table: str) -> pl.DataFrame:
        """Every row of `table`, in the order of its columns."""
        self.require(table)
        return self.frame(f'select * from main."{table}"')


@contextmanager
def open_marts(path: Path) -> Iterator[MartReader]:
    """A MartReader on the warehouse file at `path`, closed on exit."""
    if not path.exists():
        msg = f"the warehouse {path} does not exist yet: build it first (`ecap build`)"
        raise FileNotFoundError(msg)
    connection = duckdb.connect(str(path), read_only=True)
    try:
        yield MartReader(connection, path)
    finally:
        connection.close()
