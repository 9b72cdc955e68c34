"""Writing a batch of generated days to the lake: crash-safe, idempotent, one day in memory at a time.

The contract, table by table:

- **Atomic.** Each day's rows become Parquet data files as soon as that day is generated
  (`write_data_files`), then each table gets ONE Delta commit that swaps every day of the batch
  for those files (`commit_data_files`). A Delta table's content is what its log says, and a
  commit is one log file that appears whole or not at all. A process killed anywhere leaves
  every table at a committed version: the one before the batch, or the one with the batch.
- **Idempotent.** The commit replaces whole days, so a rerun of the same days converges to the
  same rows as an uninterrupted run; only the lineage columns (`_ingested_at`, `_batch_id`) say
  which run wrote them, by design.
- **Invisible leftovers.** Files written by a killed batch are in no commit, so no reader sees
  them; `vacuum_table` (full mode) deletes them once older than its retention.
- **Bounded memory.** Only one day's frames and the small `DataFile` descriptions are held, so a
  90-day backfill needs the memory of one day, not of ninety.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ecap_pipeline.lake.bronze import BatchInfo, WriteResult, with_lake_columns
from ecap_pipeline.lake.data_files import DataFile, commit_data_files, write_data_files

PREVIEW_ROWS = 5
"""Rows kept per table to show what was written, without keeping the batch in memory."""

DayGenerator = Callable[[dt.date], Mapping[str, pl.DataFrame]]
"""One day of every table, as the generator returns it (no lake columns yet)."""


@dataclass(frozen=True)
class TableWrite:
    """What a batch did to one table: the commit, and a few of the rows it wrote."""

    result: WriteResult
    preview: pl.DataFrame


def write_days(
    lake_root: Path,
    tables: Sequence[str],
    days: Sequence[dt.date],
    generate: DayGenerator,
    batch: BatchInfo,
) -> dict[str, TableWrite]:
    """Generate `days` one at a time and replace those partitions of every table in `tables`.

    Tables are committed in the order given, once each, after every day has been written. A
    table missing from the generator's output raises `KeyError` before anything is committed.
    """
    if not days:
        msg = f"write_days({list(tables)}) needs at least one partition date"
        raise ValueError(msg)
    files: dict[str, list[DataFile]] = {table: [] for table in tables}
    previews: dict[str, pl.DataFrame] = {}
    for day in days:
        generated = generate(day)
        for table in tables:
            if table not in generated:
                msg = f"lake table {table!r}: the generator returned no frame for {day} (it gave {sorted(generated)})"
                raise KeyError(msg)
            frame = with_lake_columns(generated[table], day, batch)
            files[table].extend(write_data_files(lake_root, table, frame, [day]))
            if table not in previews or previews[table].height < PREVIEW_ROWS:
                previews[table] = pl.concat([previews.get(table, frame.clear()), frame.head(PREVIEW_ROWS)])
    return {
        table: TableWrite(
            commit_data_files(lake_root, table, files[table], days, source=batch.source),
            previews[table].head(PREVIEW_ROWS),
        )
        for table in tables
    }
