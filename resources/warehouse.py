"""The DuckDB warehouse file that dbt builds and analysts read."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
from dagster import ConfigurableResource


class WarehouseResource(ConfigurableResource):
    """Read access to `<data_dir>/warehouse/ecap.duckdb`; only dbt writes to it."""

    path: str

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
