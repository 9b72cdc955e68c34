"""A writer to kill: generates tiny-shop days into a lake with the bronze write path, as the asset does.

Run as `python -m tests.unit.lake.crash_writer LAKE_ROOT BATCH_ID DAY...`. It prints `ready` once
its imports are done, so the test's random kill moment falls inside the write, not the start-up.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ecap_pipeline.generate.config import shop_config
from ecap_pipeline.generate.day import GENERATED_TABLES, generate_day
from ecap_pipeline.lake.bronze import BatchInfo
from ecap_pipeline.lake.day_writer import write_days

SHOP = shop_config(7, "tiny", dt.date(2025, 9, 1))


def write(lake_root: Path, batch_id: str, days: list[dt.date]) -> None:
    """Write `days` of the tiny shop (seed 7) to every lake table, one commit per table."""
    batch = BatchInfo(batch_id=batch_id, ingested_at=dt.datetime.now(dt.UTC), source="generator")
    write_days(lake_root, GENERATED_TABLES, days, lambda day: generate_day(SHOP, day), batch)


if __name__ == "__main__":
    root, batch_id, *day_texts = sys.argv[1:]
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    write(Path(root), batch_id, [dt.date.fromisoformat(text) for text in day_texts])
