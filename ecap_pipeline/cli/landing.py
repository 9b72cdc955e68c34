"""`ecap ingest <file>`: land a shop export and ingest it now, with the landing zone's own code."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ecap_pipeline.cli.errors import usage_error
from ecap_pipeline.landing.contracts import LANDING_TABLES
from ecap_pipeline.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    ingest = commands.add_parser(
        "ingest", help="copy a CSV, JSON-lines or Parquet file into the landing zone and ingest it now"
    )
    ingest.add_argument("file", help="the file to land")
    ingest.add_argument(
        "--table", choices=LANDING_TABLES, help="bronze table it is for (default: the name of the file's folder)"
    )
    ingest.add_argument("--data-dir", help="the data directory to land it in (default: ./data)")
    ingest.set_defaults(handler=run_ingest, prog=ingest.prog)


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Land the file in `landing/<table>/` and ingest it in this process, as the sensor's job would."""
    from ecap_pipeline.landing.ingest import ingest_file  # noqa: PLC0415
    from ecap_pipeline.landing.layout import free_name  # noqa: PLC0415

    source = Path(args.file)
    if not source.is_file():
        usage_error(args.prog, f"argument file: {source} does not exist or is not a file")
    table = args.table or source.resolve().parent.name
    if table not in LANDING_TABLES:
        usage_error(
            args.prog,
            f"argument --table: cannot tell which table {source} is for; pass --table ({', '.join(LANDING_TABLES)})",
        )
    folder = settings.landing_dir / table
    if source.resolve().parent == folder.resolve():
        target = source.resolve()
    else:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, source.name)
        # copied under a hidden name, then renamed: the sensor never sees a half-written file
        partial = folder / f".{target.name}.partial"
        shutil.copyfile(source, partial)
        partial.rename(target)
    report = ingest_file(settings.data_dir, f"{table}/{target.name}")
    print(report.summary())
    for reason in report.quarantine_reasons:
        print(f"  quarantined: {reason}")
    if report.quarantined > len(report.quarantine_reasons):
        print(f"  ... all {report.quarantined} in {settings.lake_dir / 'quarantine' / table}")
    return 1 if report.rejected_reason is not None else 0
