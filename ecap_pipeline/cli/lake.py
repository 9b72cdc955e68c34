"""`ecap history`, `ecap restore` and `ecap maintain`: the Delta tables' versions and upkeep."""

from __future__ import annotations

import argparse
import sys

from ecap_pipeline.cli.errors import non_negative_int, usage_error
from ecap_pipeline.settings import Settings

VACUUM_SAFE_HOURS = 168


def register(commands: argparse._SubParsersAction) -> None:
    history = commands.add_parser("history", help="list the versions of a lake table")
    history.add_argument("table", help="a bronze or ground-truth table, e.g. orders")
    history.add_argument("--data-dir", help="the data directory (default: ECAP_DATA_DIR or ./data)")
    history.set_defaults(handler=run_time_travel, prog=history.prog)
    restore = commands.add_parser("restore", help="restore a lake table to an earlier version (time travel)")
    restore.add_argument("table", help="a bronze or ground-truth table, e.g. orders")
    restore.add_argument(
        "--version", type=non_negative_int, required=True, help="the version to restore (see `ecap history`)"
    )
    restore.add_argument("--data-dir", help="the data directory (default: ECAP_DATA_DIR or ./data)")
    restore.set_defaults(handler=run_time_travel, prog=restore.prog)
    maintain = commands.add_parser("maintain", help="run the lake_maintenance job: retention, compaction, vacuum")
    maintain.add_argument(
        "--vacuum-retention-hours",
        type=non_negative_int,
        default=VACUUM_SAFE_HOURS,
        metavar="HOURS",
        help=f"vacuum only files unreferenced for this long (default and safe minimum: {VACUUM_SAFE_HOURS})",
    )
    maintain.add_argument(
        "--allow-short-retention", action="store_true", help=f"let vacuum use a retention below {VACUUM_SAFE_HOURS} h"
    )
    maintain.add_argument(
        "--retention-days", metavar="DAYS", help="drop days older than this (default: ECAP_RETENTION_DAYS, off)"
    )
    maintain.add_argument("--data-dir", help="the data directory (default: ECAP_DATA_DIR or ./data)")
    maintain.set_defaults(handler=run_maintain, prog=maintain.prog)


def run_time_travel(args: argparse.Namespace, settings: Settings) -> int:
    from ecap_pipeline.lake.time_travel import restore_table, table_versions  # noqa: PLC0415

    try:
        if args.command == "history":
            for entry in table_versions(settings.lake_dir, args.table):
                print(f"{entry.version:>6}  {entry.committed_at:%Y-%m-%d %H:%M:%S} UTC  {entry.operation}")
            return 0
        result = restore_table(settings.lake_dir, args.table, args.version)
    except (KeyError, FileNotFoundError, ValueError) as error:
        argument = "--version" if "no version" in str(error.args[0]) else "table"
        usage_error(args.prog, f"argument {argument}: {error.args[0]}")
    print(
        f"{result.table}: restored to version {result.restored_version} (was at version "
        f"{result.previous_version}); the restore is version {result.new_version}"
    )
    return 0


def run_maintain(args: argparse.Namespace, settings: Settings) -> int:
    from dagster import DagsterInstance  # noqa: PLC0415

    from ecap_pipeline.definitions import build_definitions  # noqa: PLC0415
    from ecap_pipeline.jobs import LAKE_MAINTENANCE  # noqa: PLC0415

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
