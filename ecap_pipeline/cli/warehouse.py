"""`ecap dbt ...` and `ecap docs`: dbt on the warehouse, the way the pipeline runs it."""

from __future__ import annotations

import argparse
import subprocess
import sys
import webbrowser
from pathlib import Path

from ecap_pipeline.cli.errors import require_warehouse
from ecap_pipeline.settings import DBT_PROJECT_DIR, Settings

DOCS_PAGE = Path("docs") / "dbt" / "static_index.html"
"""The docs site's single page, under the data directory (the `dbt_docs_site` asset writes it)."""


def register(commands: argparse._SubParsersAction) -> None:
    dbt = commands.add_parser(
        "dbt",
        help="run dbt on a private copy of the warehouse, published if dbt succeeds (ecap dbt build --vars ...)",
    )
    dbt.add_argument("--data-dir", help="the data directory whose warehouse dbt builds (default: ./data)")
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER, help="the dbt command and its options")
    dbt.set_defaults(handler=run_dbt, prog=dbt.prog)
    docs = commands.add_parser("docs", help="build the dbt docs site of the warehouse and print its path")
    docs.add_argument("--open", action="store_true", help="also open it in the default web browser")
    docs.add_argument("--data-dir", help="the data directory whose warehouse to document (default: ./data)")
    docs.set_defaults(handler=run_docs, prog=docs.prog)


def run_dbt(args: argparse.Namespace, settings: Settings) -> int:
    """Run dbt the way the pipeline does, so analysts keep reading the warehouse meanwhile.

    dbt writes its `next` target, a private copy of the warehouse, which is published only if dbt
    exits with success; a failing dbt leaves the published warehouse as it was.
    """
    from ecap_pipeline.warehouse.publish import publishing  # noqa: PLC0415
    from resources.dbt import PIPELINE_TARGET  # noqa: PLC0415

    dbt = str(Path(sys.executable).with_name("dbt"))
    command = [dbt, *args.dbt_args, "--profiles-dir", str(DBT_PROJECT_DIR), "--target", PIPELINE_TARGET]
    try:
        with publishing(settings.warehouse_path):
            subprocess.run(command, cwd=DBT_PROJECT_DIR, check=True)
    except subprocess.CalledProcessError as error:
        print(f"ecap: dbt exited with {error.returncode}; {settings.warehouse_path} is unchanged", file=sys.stderr)
        return error.returncode
    print(f"ecap: published {settings.warehouse_path}", flush=True)
    return 0


def run_docs(args: argparse.Namespace, settings: Settings) -> int:
    """Materialize the `dbt_docs_site` asset (the build's docs stage) on the current warehouse."""
    require_warehouse(args.prog, settings.warehouse_path)
    from dagster import AssetKey, DagsterInstance  # noqa: PLC0415

    from assets.docs import DOCS_SITE  # noqa: PLC0415
    from ecap_pipeline.definitions import build_definitions  # noqa: PLC0415
    from ecap_pipeline.jobs import DAILY_REFRESH  # noqa: PLC0415

    job = build_definitions(settings).resolve_job_def(DAILY_REFRESH)
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=[AssetKey(DOCS_SITE)])
    if not result.success:
        failed = [event for event in result.all_events if event.is_step_failure]
        reason = failed[0].event_specific_data.error.message.strip() if failed else f"run {result.run_id} failed"
        print(f"ecap: the docs site was not built: {reason}", file=sys.stderr)
        return 1
    page = settings.data_dir / DOCS_PAGE
    print(page)
    if args.open:
        webbrowser.open(page.as_uri())
    return 0
