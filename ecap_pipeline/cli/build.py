"""`ecap build` and `ecap generate`: run the daily_refresh job (whole, or its bronze part) for a date range."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ecap_pipeline.cli.errors import positive_int
from ecap_pipeline.cli.report import REPORTS_GROUP, group_keys_of
from ecap_pipeline.generate.scales import SCALES
from ecap_pipeline.settings import Settings

if TYPE_CHECKING:
    from dagster import AssetKey, DagsterEvent, DagsterInstance, Definitions, ExecuteInProcessResult, JobDefinition

    from ecap_pipeline.cli.progress import StageProgress

BRONZE_GROUP = "ingestion"


def register(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser(
        "build", help="generate the date range into bronze, build and test the warehouse, train the models"
    )
    _shop_options(build)
    build.add_argument("--end", metavar="YYYY-MM-DD", help="last day (default: ECAP_END_DATE)")
    build.set_defaults(handler=run_build, prog=build.prog)
    generate = commands.add_parser(
        "generate", help="generate days of the synthetic shop into bronze only (the build's first stage)"
    )
    _shop_options(generate)
    span = generate.add_mutually_exclusive_group()
    span.add_argument("--days", type=positive_int, metavar="N", help="generate N days from --start")
    span.add_argument("--end", metavar="YYYY-MM-DD", help="last day (default: ECAP_END_DATE)")
    generate.set_defaults(handler=run_generate, prog=generate.prog)


def _shop_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=sorted(SCALES), help="generator scale (default: ECAP_SCALE or small)")
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: ECAP_START_DATE)")
    parser.add_argument("--seed", type=int, help="generator seed (default: ECAP_SEED or 42)")
    parser.add_argument(
        "--scale-overrides",
        metavar="KNOB=N,...",
        help="change knobs of the scale preset, e.g. products=500,signups_per_day=120 (default: ECAP_SCALE_OVERRIDES)",
    )
    parser.add_argument(
        "--fraud-rate", metavar="RATE", help="share of orders that are fraud (default: ECAP_FRAUD_RATE or 0.01)"
    )
    parser.add_argument("--data-dir", help="where the lake, warehouse and Dagster home go (default: ./data)")


def run_build(_args: argparse.Namespace, settings: Settings) -> int:
    """Everything, stage by stage: bronze, warehouse, quality, docs, then the models; a summary at the end."""
    from dagster import DagsterInstance  # noqa: PLC0415 (Dagster loads only for commands that run it)

    from ecap_pipeline.jobs import RETRAIN_MODELS  # noqa: PLC0415
    from ecap_pipeline.summary import render, summarize  # noqa: PLC0415

    started = time.perf_counter()
    defs, progress = _load(settings)
    reports = group_keys_of(defs, REPORTS_GROUP)
    with DagsterInstance.get() as instance:
        # The reports show the models' scores, so they are built last, once the models are retrained.
        result = _refresh(defs, settings, progress, instance, asset_selection=_refresh_keys(defs) if reports else None)
        if result.success:
            models = execute(defs.resolve_job_def(RETRAIN_MODELS), progress, instance)
            _report_model_failures(models.all_events)
            if reports:
                everything = defs.resolve_implicit_global_asset_job_def()
                result = execute(everything, progress, instance, asset_selection=reports)
    print(progress.table(), flush=True)
    if not result.success:
        return _failed(result)
    summary = summarize(settings.lake_dir, settings.warehouse_path, reports_dir=settings.reports_dir)
    print(render(summary, elapsed_seconds=time.perf_counter() - started))
    return 0


def run_generate(args: argparse.Namespace, settings: Settings) -> int:
    """Only the bronze assets of daily_refresh, through the same job the build runs."""
    from dagster import DagsterInstance  # noqa: PLC0415

    from ecap_pipeline.summary import bronze_rows  # noqa: PLC0415

    if args.days is not None:
        end = settings.start_date + dt.timedelta(days=args.days - 1)
        settings = Settings.from_env({**settings.as_env(), "ECAP_END_DATE": end.isoformat()})
        os.environ.update(settings.as_env())
    started = time.perf_counter()
    defs, progress = _load(settings)
    with DagsterInstance.get() as instance:
        result = _refresh(defs, settings, progress, instance, asset_selection=group_keys_of(defs, BRONZE_GROUP))
    print(progress.table(), flush=True)
    if not result.success:
        return _failed(result)
    print(f"Generated {len(settings.days())} day(s) in {time.perf_counter() - started:.0f} s. Bronze (Delta Lake):")
    for table, rows in bronze_rows(settings.lake_dir).items():
        print(f"  {table:<24} {rows:>10,} rows")
    print(f"Bronze tables: {settings.lake_dir / 'bronze'}/<table>; build the warehouse with `ecap build`.")
    return 0


def _load(settings: Settings) -> tuple[Definitions, StageProgress]:
    from ecap_pipeline.cli.progress import StageProgress, stages_by_step  # noqa: PLC0415
    from ecap_pipeline.definitions import build_definitions  # noqa: PLC0415

    # One "planned" event per asset for the whole day range instead of one per asset and day:
    # with SQLite event storage this saves about a minute of a 90-day build. The price is that a
    # failed build does not mark its partitions failed in the UI; the command reports the failed
    # step itself and exits non-zero.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    print(
        f"loading definitions (scale={settings.scale}, seed={settings.seed}, {len(settings.days())} days "
        f"{settings.start_date}..{settings.end_date}, data in {settings.data_dir})",
        flush=True,
    )
    defs = build_definitions(settings)
    return defs, StageProgress(stages_by_step(defs))


def _refresh(
    defs: Definitions,
    settings: Settings,
    progress: StageProgress,
    instance: DagsterInstance,
    *,
    asset_selection: Sequence[AssetKey] | None = None,
) -> ExecuteInProcessResult:
    from dagster._core.storage.tags import (  # noqa: PLC0415
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from ecap_pipeline.jobs import DAILY_REFRESH  # noqa: PLC0415

    tags = {
        ASSET_PARTITION_RANGE_START_TAG: settings.start_date.isoformat(),
        ASSET_PARTITION_RANGE_END_TAG: settings.end_date.isoformat(),
    }
    return execute(defs.resolve_job_def(DAILY_REFRESH), progress, instance, tags=tags, asset_selection=asset_selection)


def execute(
    job: JobDefinition,
    progress: StageProgress,
    instance: DagsterInstance,
    *,
    tags: dict[str, str] | None = None,
    asset_selection: Sequence[AssetKey] | None = None,
) -> ExecuteInProcessResult:
    """Run `job` in this process with the console log and the stage progress listening."""
    job = job.with_logger_defs({**job.loggers, "ecap_progress": progress.logger_def()})
    return job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}, "ecap_progress": {}}},
        tags=tags or {},
        asset_selection=asset_selection,
    )


def _refresh_keys(defs: Definitions) -> list[AssetKey]:
    """What `daily_refresh` materializes, but the reports."""
    from dagster import AssetSelection  # noqa: PLC0415

    from ecap_pipeline.jobs import MAINTENANCE_GROUP, MODELS_GROUP  # noqa: PLC0415

    graph = defs.resolve_asset_graph()
    selection = AssetSelection.all() - AssetSelection.groups(MODELS_GROUP, MAINTENANCE_GROUP, REPORTS_GROUP)
    return sorted(key for key in selection.resolve(graph) if graph.get(key).is_executable)


def _failed(result: ExecuteInProcessResult) -> int:
    failed = [event.step_key for event in result.all_events if event.is_step_failure]
    print(f"ecap: build failed in step(s) {', '.join(failed) or '?'}; run id {result.run_id}", file=sys.stderr)
    return 1


def _report_model_failures(events: Sequence[DagsterEvent]) -> None:
    """A model that cannot train or is not promoted leaves the data build good: say why, do not fail it."""
    for event in events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            reason = error.message.strip().splitlines()[-1] if error else "see the Dagster run"
            print(f"ecap: models: {event.step_key} did not complete: {reason}", file=sys.stderr)
