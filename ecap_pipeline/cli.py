"""`ecap`: build the whole pipeline headless, open it in the Dagster UI, run dbt on the warehouse, or ingest a file."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ecap_pipeline.generate.scales import SCALES
from ecap_pipeline.instance import ensure_dagster_home
from ecap_pipeline.landing.contracts import LANDING_TABLES
from ecap_pipeline.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings, SettingsError

if TYPE_CHECKING:
    from dagster import DagsterEvent

_OVERRIDES = {
    "data_dir": "ECAP_DATA_DIR",
    "scale": "ECAP_SCALE",
    "seed": "ECAP_SEED",
    "start": "ECAP_START_DATE",
    "end": "ECAP_END_DATE",
    "scale_overrides": "ECAP_SCALE_OVERRIDES",
    "fraud_rate": "ECAP_FRAUD_RATE",
    "retention_days": "ECAP_RETENTION_DAYS",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    for option, variable in _OVERRIDES.items():
        if getattr(args, option, None) is not None:
            os.environ[variable] = str(getattr(args, option))
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        parser.exit(2, f"ecap: error: {error}\n")
    ensure_dagster_home(settings.data_dir)
    os.environ.update(settings.as_env())
    if args.command == "dev":
        return _dev()
    if args.command == "dbt":
        return _dbt(settings, args.dbt_args)
    if args.command == "ingest":
        return _ingest(parser, settings, Path(args.file), args.table)
    if args.command in {"history", "restore"}:
        return _time_travel(parser, args, settings)
    if args.command == "maintain":
        return _maintain(settings, args)
    return _build(settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecap", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate the date range into bronze and build the warehouse")
    build.add_argument("--scale", choices=sorted(SCALES), help="generator scale (default: ECAP_SCALE or small)")
    build.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: ECAP_START_DATE)")
    build.add_argument("--end", metavar="YYYY-MM-DD", help="last day (default: ECAP_END_DATE)")
    build.add_argument("--seed", type=int, help="generator seed (default: ECAP_SEED or 42)")
    build.add_argument(
        "--scale-overrides",
        metavar="KNOB=N,...",
        help="change knobs of the scale preset, e.g. products=500,signups_per_day=120 (default: ECAP_SCALE_OVERRIDES)",
    )
    build.add_argument(
        "--fraud-rate", metavar="RATE", help="share of orders that are fraud (default: ECAP_FRAUD_RATE or 0.01)"
    )
    build.add_argument("--data-dir", help="where the lake, warehouse and Dagster home go (default: ./data)")
    commands.add_parser("dev", help="start the Dagster UI (dagster dev) on this project")
    dbt = commands.add_parser(
        "dbt",
        help="run dbt on a private copy of the warehouse, published if dbt succeeds (ecap dbt build --vars ...)",
    )
    dbt.add_argument("--data-dir", help="the data directory whose warehouse dbt builds (default: ./data)")
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER, help="the dbt command and its options")
    ingest = commands.add_parser(
        "ingest", help="copy a CSV, JSON-lines or Parquet file into the landing zone and ingest it now"
    )
    ingest.add_argument("file", help="the file to land")
    ingest.add_argument(
        "--table", choices=LANDING_TABLES, help="bronze table it is for (default: the name of the file's folder)"
    )
    ingest.add_argument("--data-dir", help="the data directory to land it in (default: ./data)")
    history = commands.add_parser("history", help="list the versions of a lake table")
    history.add_argument("table", help="a bronze or ground-truth table, e.g. orders")
    history.add_argument("--data-dir", help="the data directory (default: ECAP_DATA_DIR or ./data)")
    restore = commands.add_parser("restore", help="restore a lake table to an earlier version (time travel)")
    restore.add_argument("table", help="a bronze or ground-truth table, e.g. orders")
    restore.add_argument("--version", type=int, required=True, help="the version to restore (see `ecap history`)")
    restore.add_argument("--data-dir", help="the data directory (default: ECAP_DATA_DIR or ./data)")
    maintain = commands.add_parser("maintain", help="run the lake_maintenance job: retention, compaction, vacuum")
    maintain.add_argument(
        "--vacuum-retention-hours",
        type=int,
        default=168,
        metavar="HOURS",
        help="vacuum only files unreferenced for this long (default and safe minimum: 168)",
    )
    maintain.add_argument(
        "--allow-short-retention", action="store_true", help="let vacuum use a retention below 168 hours"
    )
    maintain.add_argument(
        "--retention-days", metavar="DAYS", help="drop days older than this (default: ECAP_RETENTION_DAYS, off)"
    )
    maintain.add_argument("--data-dir", help="the data directory (default: ECAP_DATA_DIR or ./data)")
    return parser


def _build(settings: Settings) -> int:
    from dagster import DagsterInstance
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    from ecap_pipeline.definitions import build_definitions
    from ecap_pipeline.jobs import DAILY_REFRESH, RETRAIN_MODELS
    from ecap_pipeline.summary import render, summarize

    started = time.perf_counter()
    days = settings.days()
    # One "planned" event per asset for the whole day range instead of one per asset and day:
    # with SQLite event storage this saves about a minute of a 90-day build. The price is that a
    # failed build does not mark its partitions failed in the UI; this command reports the failed
    # step itself and exits non-zero.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    print(
        f"[1/3] loading definitions (scale={settings.scale}, seed={settings.seed}, {len(days)} days "
        f"{settings.start_date}..{settings.end_date})",
        flush=True,
    )
    defs = build_definitions(settings)
    job = defs.resolve_job_def(DAILY_REFRESH)
    print("[2/3] generating days into bronze, then dbt build (models + tests)", flush=True)
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            tags={
                ASSET_PARTITION_RANGE_START_TAG: settings.start_date.isoformat(),
                ASSET_PARTITION_RANGE_END_TAG: settings.end_date.isoformat(),
            },
        )
        if result.success:
            print("      retraining the models on the warehouse (job retrain_models)", flush=True)
            models = defs.resolve_job_def(RETRAIN_MODELS).execute_in_process(instance=instance, raise_on_error=False)
            _report_model_failures(models.all_events)
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        print(f"ecap: build failed in step(s) {', '.join(failed) or '?'}; run id {result.run_id}", file=sys.stderr)
        return 1
    print("[3/3] summarising", flush=True)
    print(render(summarize(settings.lake_dir, settings.warehouse_path), elapsed_seconds=time.perf_counter() - started))
    return 0


def _report_model_failures(events: Sequence[DagsterEvent]) -> None:
    """A model that cannot train or is not promoted leaves the data build good: say why, do not fail it."""
    for event in events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            reason = error.message.strip().splitlines()[-1] if error else "see the Dagster run"
            print(f"ecap: models: {event.step_key} did not complete: {reason}", file=sys.stderr)


def _dbt(settings: Settings, arguments: Sequence[str]) -> int:
    """Run dbt the way the pipeline does, so analysts keep reading the warehouse meanwhile.

    dbt writes its `next` target, a private copy of the warehouse, which is published only if dbt
    exits with success; a failing dbt leaves the published warehouse as it was.
    """
    from ecap_pipeline.warehouse.publish import publishing
    from resources.dbt import PIPELINE_TARGET

    dbt = str(Path(sys.executable).with_name("dbt"))
    command = [dbt, *arguments, "--profiles-dir", str(DBT_PROJECT_DIR), "--target", PIPELINE_TARGET]
    try:
        with publishing(settings.warehouse_path):
            subprocess.run(command, cwd=DBT_PROJECT_DIR, check=True)
    except subprocess.CalledProcessError as error:
        print(f"ecap: dbt exited with {error.returncode}; {settings.warehouse_path} is unchanged", file=sys.stderr)
        return error.returncode
    print(f"ecap: published {settings.warehouse_path}", flush=True)
    return 0


def _ingest(parser: argparse.ArgumentParser, settings: Settings, source: Path, table: str | None) -> int:
    """Land `source` in `landing/<table>/` and ingest it in this process, as the sensor's job would."""
    from ecap_pipeline.landing.ingest import ingest_file
    from ecap_pipeline.landing.layout import free_name

    if not source.is_file():
        parser.exit(2, f"ecap: error: {source} does not exist or is not a file\n")
    table = table or source.resolve().parent.name
    if table not in LANDING_TABLES:
        parser.exit(
            2, f"ecap: error: cannot tell which table {source} is for; pass --table ({', '.join(LANDING_TABLES)})\n"
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


def _time_travel(parser: argparse.ArgumentParser, args: argparse.Namespace, settings: Settings) -> int:
    from ecap_pipeline.lake.time_travel import restore_table, table_versions

    try:
        if args.command == "history":
            for entry in table_versions(settings.lake_dir, args.table):
                print(f"{entry.version:>6}  {entry.committed_at:%Y-%m-%d %H:%M:%S} UTC  {entry.operation}")
            return 0
        result = restore_table(settings.lake_dir, args.table, args.version)
    except (KeyError, FileNotFoundError, ValueError) as error:
        parser.exit(2, f"ecap: error: {error.args[0]}\n")
    print(
        f"{result.table}: restored to version {result.restored_version} (was at version "
        f"{result.previous_version}); the restore is version {result.new_version}"
    )
    return 0


def _maintain(settings: Settings, args: argparse.Namespace) -> int:
    from dagster import DagsterInstance

    from ecap_pipeline.definitions import build_definitions
    from ecap_pipeline.jobs import LAKE_MAINTENANCE

    job = build_definitions(settings).resolve_job_def(LAKE_MAINTENANCE)
    vacuum = {"retention_hours": args.vacuum_retention_hours, "allow_short_retention": args.allow_short_retention}
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"ops": {"lake_vacuum": {"config": vacuum}}}
        )
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            print(f"ecap: {event.step_key} failed: {event.step_failure_data.error.message.strip()}", file=sys.stderr)
    if not result.success:
        return 1
    for step in ("lake_retention", "lake_compaction", "lake_vacuum"):
        (materialization,) = result.asset_materializations_for_node(step)
        print(f"{step}:")
        print(materialization.metadata["tables"].value)
    return 0


def _dev() -> NoReturn:
    dagster = str(Path(sys.executable).with_name("dagster"))
    os.chdir(PROJECT_ROOT)
    os.execv(dagster, [dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml")])


if __name__ == "__main__":
    raise SystemExit(main())
