"""From raw dbt invocations to medians: build time per rung, fixed overhead, time per model."""

from __future__ import annotations

import statistics
from typing import Any

from genbench.summary import spread

from whbench.runs import DbtRun


def summarise_build(runs: list[DbtRun]) -> dict[str, Any]:
    """Median wall time of `dbt build`, and of its models and tests as dbt timed them."""
    return {
        "wall_seconds": spread([run.wall_seconds for run in runs]),
        "dbt_elapsed_seconds": spread([run.dbt_elapsed_seconds or 0.0 for run in runs]),
        "models_seconds": spread([_sum(run, "model.") for run in runs]),
        "tests_seconds": spread([_sum(run, "test.", "unit_test.") for run in runs]),
        "model_median_seconds": model_medians(runs),
    }


def summarise_overhead(parses: list[DbtRun], empty_runs: list[DbtRun]) -> dict[str, Any]:
    """dbt's cost before any data: a full parse, and `dbt build --empty` (every model, zero rows)."""
    return {
        "parse_seconds": spread([run.wall_seconds for run in parses]),
        "empty_run_seconds": spread([run.wall_seconds for run in empty_runs]),
    }


def model_medians(runs: list[DbtRun]) -> dict[str, float]:
    """Median `execution_time` of every model over the repeats, slowest first."""
    names = {node for run in runs for node in run.node_seconds if node.startswith("model.")}
    medians = {
        node.rsplit(".", 1)[-1]: statistics.median(run.node_seconds.get(node, 0.0) for run in runs) for node in names
    }
    return dict(sorted(medians.items(), key=lambda item: (-item[1], item[0])))


def _sum(run: DbtRun, *prefixes: str) -> float:
    return sum(seconds for node, seconds in run.node_seconds.items() if node.startswith(prefixes))
