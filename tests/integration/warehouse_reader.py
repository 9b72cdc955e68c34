"""An analyst in another process: query every mart in a loop, each time from a fresh connection.

Run as `python -m tests.integration.warehouse_reader <warehouse> <readings.jsonl> <stop-file>`
by the reader test; it records one JSON line per pass (what it saw, or the error it got) until
the stop file appears.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from ecap_pipeline.summary import MARTS

RECONCILIATION = (
    "select (select sum(net_revenue) from revenue_daily) = (select sum(net_revenue) from revenue_trend_daily)"
    " and (select count(*) from fct_orders) = (select sum(orders) from revenue_trend_daily)"
)
"""Holds in every complete build; a reader seeing marts from two different builds would break it."""


def snapshot(warehouse: Path) -> dict[str, list[int]]:
    """Row count and an order-independent checksum of every mart, as one read-only connection sees them."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        marts = {
            mart: list(connection.execute(f"select count(*), coalesce(bit_xor(hash(t)), 0) from {mart} t").fetchone())
            for mart in MARTS
        }
        marts["reconciles"] = [int(connection.execute(RECONCILIATION).fetchone()[0])]
    return marts


def main(warehouse: Path, readings: Path, stop: Path) -> None:
    with readings.open("a") as out:
        while not stop.exists():
            started = time.time()
            try:
                reading: dict[str, object] = {"snapshot": snapshot(warehouse)}
            except duckdb.Error as error:
                reading = {"error": f"{type(error).__name__}: {error}"}
            out.write(json.dumps({"started": started, **reading}) + "\n")
            out.flush()


if __name__ == "__main__":
    main(*(Path(argument) for argument in sys.argv[1:4]))
