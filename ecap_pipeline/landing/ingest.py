"""Ingesting one landed file: read, validate, land valid rows in bronze, quarantine the rest, move it.

The sensor's job and `ecap ingest` both call `ingest_file`. Its batch id is derived from the
file's content, so ingesting the same bytes again (a file dropped twice, a run retried after a
crash) writes nothing new: each table already holds that batch's Delta transaction. One
ingestion runs at a time (a lock in the lake), so the duplicate checks against bronze never race.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ecap_pipeline.lake.contracts import PARTITION_COLUMN, table_schema
from ecap_pipeline.landing.contracts import landing_contract
from ecap_pipeline.landing.lake_io import (
    append_bronze_once,
    append_quarantine_once,
    bronze_state,
    known_customers,
    latest_unit_costs,
)
from ecap_pipeline.landing.layout import LandedFile, move_processed, move_rejected, resolve
from ecap_pipeline.landing.orders import orders_from_export
from ecap_pipeline.landing.readers import UnreadableFileError, read_landed_file
from ecap_pipeline.landing.validate import ROW, validate
from ecap_pipeline.locks import exclusive_lock

SOURCE_PREFIX = "landing:"
"""`_source` of landed rows: `landing:<table>/<file>`; the generator's rows say `generator`."""


@dataclass(frozen=True)
class IngestReport:
    """What happened to one landed file. For an ingested file, rows_in = accepted + quarantined."""

    file: str
    table: str
    batch_id: str
    rejected_reason: str | None
    rows_in: int
    accepted: int
    quarantined: int
    already_ingested: bool
    """Every table already held this content's batch: nothing was written again."""
    rows_written: dict[str, int]
    """Rows appended per bronze table by this call (zero for a table that already had the batch)."""
    quarantine_reasons: tuple[str, ...]
    """The reasons of the first quarantined rows (all of them are in the quarantine table)."""
    moved_to: Path

    def summary(self) -> str:
        """One line for logs and the CLI: what became of the file, with its counts."""
        if self.rejected_reason is not None:
            return f"{self.file}: rejected -> {self.moved_to} ({self.rejected_reason})"
        again = " (already ingested: nothing written again)" if self.already_ingested else ""
        return (
            f"{self.file}: {self.rows_in} rows in, {self.accepted} accepted, {self.quarantined} quarantined"
            f"{again} -> {self.moved_to}"
        )


def ingest_file(data_dir: Path, name: str, *, now: dt.datetime | None = None) -> IngestReport:
    """Ingest the landed file `<data_dir>/landing/<name>` (`name` = `<table>/<file>`) and move it."""
    lake_root, landing_root = data_dir / "lake", data_dir / "landing"
    landed = resolve(landing_root, name)
    now = now or dt.datetime.now(dt.UTC)
    with exclusive_lock(lake_root / "_locks" / "landing.lock"):
        if landed.path.is_symlink():
            reason = f"{name}: is a symbolic link (to {landed.path.readlink()}); copy the file itself into landing/"
            return _rejected(landing_root, landed, batch_id="", reason=reason)
        batch_id = f"landing-{landed.table}-{hashlib.sha256(landed.path.read_bytes()).hexdigest()[:32]}"
        try:
            raw = read_landed_file(landed.path, name=name)
        except UnreadableFileError as error:
            return _rejected(landing_root, landed, batch_id=batch_id, reason=str(error))
        contract = landing_contract(landed.table)
        validated = validate(raw, contract, bronze_state(lake_root, contract, batch_id=batch_id), name=name, now=now)
        valid = validated.valid.drop(ROW)
        if landed.table == "orders":
            frames = orders_from_export(
                valid,
                known_customers=known_customers(lake_root, batch_id=batch_id),
                unit_costs=latest_unit_costs(lake_root),
            )
        else:
            frames = {landed.table: valid}
        lineage = _lineage(now, batch_id, f"{SOURCE_PREFIX}{name}")
        written = {
            table: frame.height
            if append_bronze_once(lake_root, table, _as_lake(table, frame, lineage), batch_id=batch_id)
            else 0
            for table, frame in frames.items()
        }
        quarantine = validated.quarantined.select(pl.lit(name).alias("file"), pl.all()).with_columns(
            pl.lit(now.date()).alias(PARTITION_COLUMN), *lineage
        )
        quarantined_now = append_quarantine_once(lake_root, landed.table, quarantine, batch_id=batch_id)
        moved_to = move_processed(landing_root, landed)
    return IngestReport(
        file=name,
        table=landed.table,
        batch_id=batch_id,
        rejected_reason=None,
        rows_in=raw.height,
        accepted=validated.valid.height,
        quarantined=validated.quarantined.height,
        already_ingested=not quarantined_now and not any(written.values()),
        rows_written=written,
        quarantine_reasons=tuple(validated.quarantined.get_column("reason").head(5)),
        moved_to=moved_to,
    )


def _lineage(now: dt.datetime, batch_id: str, source: str) -> list[pl.Expr]:
    return [
        pl.lit(now, dtype=pl.Datetime("us", "UTC")).alias("_ingested_at"),
        pl.lit(batch_id, dtype=pl.String).alias("_batch_id"),
        pl.lit(source, dtype=pl.String).alias("_source"),
    ]


def _as_lake(table: str, frame: pl.DataFrame, lineage: list[pl.Expr]) -> pl.DataFrame:
    """`frame` (contract columns and partition_date) with lineage, in the table's lake schema."""
    return frame.with_columns(lineage).select(
        pl.col(column).cast(dtype) for column, dtype in table_schema(table).items()
    )


def _rejected(landing_root: Path, landed: LandedFile, *, batch_id: str, reason: str) -> IngestReport:
    return IngestReport(
        file=landed.name,
        table=landed.table,
        batch_id=batch_id,
        rejected_reason=reason,
        rows_in=0,
        accepted=0,
        quarantined=0,
        already_ingested=False,
        rows_written={},
        quarantine_reasons=(),
        moved_to=move_rejected(landing_root, landed, reason),
    )
