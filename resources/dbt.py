"""The dbt project and the dbt CLI resource that runs it."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from ecap_pipeline.locks import exclusive_lock
from ecap_pipeline.settings import DBT_PROJECT_DIR


def ecap_dbt_project() -> DbtProject:
    """The dbt project, with its manifest freshly parsed.

    The manifest is what Dagster reads to draw one asset per dbt model, so it is parsed at every
    definitions load: a stale manifest would show a graph that differs from the SQL on disk.
    Parsing needs no database and takes a few seconds with dbt's partial parsing.
    """
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    with exclusive_lock(project.project_dir / project.target_path / "parse.lock"):
        dbt_cli_resource(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return project


def dbt_cli_resource(project: DbtProject) -> DbtCliResource:
    """The CLI resource pointed at `project`; dbt reads ECAP_DATA_DIR from the environment.

    dbt is the one installed beside this interpreter, so an unactivated virtualenv works too.
    """
    executable = Path(sys.executable).with_name("dbt")
    return DbtCliResource(
        project_dir=project,
        profiles_dir=str(project.profiles_dir),
        dbt_executable=str(executable) if executable.exists() else "dbt",
    )
