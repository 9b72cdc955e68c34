"""One timed dbt invocation against a prepared data directory, and what its run_results say.

dbt runs as a subprocess from the project folder, as `dagster-dbt` runs it, with its target and
log folders inside the benchmark's scratch directory so the repository's `dbt_project/target`
and `data/` are never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")


@dataclass(frozen=True)
class DbtRun:
    """Wall time of one invocation and the per-node timings dbt recorded."""

    command: str
    wall_seconds: float
    dbt_elapsed_seconds: float | None
    """`elapsed_time` of run_results.json: the run itself, without start-up and parsing."""
    node_seconds: dict[str, float]
    """`execution_time` per node unique id (models, seeds, tests)."""


def run_dbt(args: list[str], *, data_dir: Path, target: Path) -> DbtRun:
    """`dbt <args>` reading and writing under `data_dir`; fails loudly with dbt's output."""
    env = os.environ | {
        "ECAP_DATA_DIR": str(data_dir),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target),
        "DO_NOT_TRACK": "1",
    }
    (target / "run_results.json").unlink(missing_ok=True)
    started = time.perf_counter()
    completed = subprocess.run(
        [str(DBT), *args, "--profiles-dir", ".", "--quiet"],
        cwd=DBT_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        msg = f"dbt {' '.join(args)} failed (exit {completed.returncode}):\n{completed.stdout}{completed.stderr}"
        raise RuntimeError(msg)
    elapsed, nodes = _run_results(target / "run_results.json")
    return DbtRun(" ".join(args), wall, elapsed, nodes)


def _run_results(path: Path) -> tuple[float | None, dict[str, float]]:
    if not path.exists():  # `dbt parse` writes none
        return None, {}
    results = json.loads(path.read_text())
    return results["elapsed_time"], {result["unique_id"]: result["execution_time"] for result in results["results"]}
