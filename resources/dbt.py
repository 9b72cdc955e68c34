"""The dbt project and the dbt CLI resource that runs it."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from ecap_pipeline.locks import exclusive_lock
from ecap_pipeline.settings import DBT_PROJECT_DIR

_NOT_SOURCES = frozenset({"target", "logs", "dbt_packages"})
PIPELINE_TARGET = "next"
"""The profile target the pipeline runs dbt on: the warehouse's private next generation, which
`WarehouseResource.publishing` publishes (see dbt_project/profiles.yml)."""


def ecap_dbt_project() -> DbtProject:
    """The dbt project, with a manifest that matches the files on disk.

    The manifest is what Dagster reads to draw one asset per dbt model, so a stale one would show
    a graph that differs from the SQL. It is re-parsed whenever the project's files or the
    `ECAP_*`/`DBT_*` environment changed since the last parse, and reused otherwise: a parse
    costs several seconds at every definitions load.
    """
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target=PIPELINE_TARGET)
    target = project.project_dir / project.target_path
    with exclusive_lock(target / "parse.lock"):
        fingerprint = _source_fingerprint(project.project_dir)
        stamp = target / "manifest.fingerprint"
        manifest_current = (target / "manifest.json").exists() and stamp.exists() and stamp.read_text() == fingerprint
        if not manifest_current:
            dbt_cli_resource(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
            stamp.write_text(fingerprint)
    return project


def _source_fingerprint(project_dir: Path) -> str:
    """A hash of every file the manifest is parsed from and the environment dbt may read."""
    digest = hashlib.sha256()
    for path in sorted(project_dir.rglob("*")):
        relative = path.relative_to(project_dir)
        if path.is_file() and relative.parts[0] not in _NOT_SOURCES:
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in sorted(os.environ):
        if name.startswith(("ECAP_", "DBT_")):
            digest.update(f"{name}={os.environ[name]}\0".encode())
    return digest.hexdigest()


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
