"""`ecap report`: materialize the report assets (asset group `reports`) on the current warehouse.

The command selects the group, not named assets, so every report asset a deployment defines is
built, and a deployment without any says so instead of failing somewhere inside Dagster.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ecap_pipeline.cli.errors import require_warehouse, usage_error
from ecap_pipeline.settings import Settings

REPORTS_GROUP = "reports"
"""`ecap_pipeline.jobs.REPORTS_GROUP`, named here so the CLI starts without importing Dagster."""

if TYPE_CHECKING:
    from dagster import AssetKey, Definitions


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help=f"build the reports (the assets of group '{REPORTS_GROUP}') from the warehouse"
    )
    report.add_argument("--data-dir", help="the data directory whose warehouse to report on (default: ./data)")
    report.set_defaults(handler=run_report, prog=report.prog)


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    from ecap_pipeline.definitions import build_definitions  # noqa: PLC0415

    defs = build_definitions(settings)
    if group_keys_of(defs, REPORTS_GROUP):
        require_warehouse(args.prog, settings.warehouse_path)
    return materialize_group(defs, REPORTS_GROUP, prog=args.prog)


def group_keys_of(defs: Definitions, group: str) -> list[AssetKey]:
    """The executable asset keys of `group` in `defs`."""
    return [
        key
        for assets_def in defs.resolve_asset_graph().assets_defs
        if assets_def.is_executable
        for key, name in assets_def.group_names_by_key.items()
        if name == group
    ]


def materialize_group(defs: Definitions, group: str, *, prog: str) -> int:
    """Materialize every asset of `group` in one run; print each one's files. Exit 2 if the group is empty."""
    from dagster import DagsterInstance, PathMetadataValue  # noqa: PLC0415

    keys = group_keys_of(defs, group)
    if not keys:
        usage_error(prog, f"no report assets in this deployment (asset group {group!r} is empty)")
    job = defs.resolve_implicit_global_asset_job_def()
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=keys)
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            reason = error.message.strip().splitlines()[-1] if error else f"see run {result.run_id}"
            print(f"ecap: {event.step_key} failed: {reason}", file=sys.stderr)
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        paths = [value.path for value in materialization.metadata.values() if isinstance(value, PathMetadataValue)]
        print(f"{materialization.asset_key.to_user_string()}: {', '.join(map(str, paths)) or 'materialized'}")
    return 0 if result.success else 1
