"""The warehouse benchmark's report for people: build time per rung, fixed overhead, slowest models."""

from __future__ import annotations

from typing import Any

from genbench.report import fixed_width_table, seconds_spread

SLOWEST_MODELS = 15
_BUILDS = ("scale", "days", "events", "bronze rows", "build s", "dbt elapsed s", "models s", "tests s", "duckdb MB")


def render(payload: dict[str, Any]) -> str:
    """The whole human-readable report."""
    params, rungs = payload["parameters"], payload["rungs"]
    overhead = payload["fixed_overhead"]
    lines = [
        f"ECAP warehouse benchmark — dbt build, {params['repeats']} repeat(s), median [min-max] seconds",
        f"machine: {payload['machine']['usable_cpus']} usable CPUs, load {payload['machine']['load_average_1_5_15']}",
        "",
        fixed_width_table(_BUILDS, [_build_row(rung) for rung in rungs]),
        "",
        f"fixed overhead: dbt parse (no partial parse) {seconds_spread(overhead['parse_seconds'])} s; "
        f"dbt build --empty {seconds_spread(overhead['empty_run_seconds'])} s",
        "",
        _slowest_models(rungs),
    ]
    return "\n".join(lines)


def _build_row(rung: dict[str, Any]) -> list[str]:
    build = rung["build"]
    return [
        rung["scale"],
        str(rung["days"]),
        f"{rung['events']:,}",
        f"{sum(rung['bronze_rows'].values()):,}",
        seconds_spread(build["wall_seconds"]),
        seconds_spread(build["dbt_elapsed_seconds"]),
        seconds_spread(build["models_seconds"]),
        seconds_spread(build["tests_seconds"]),
        f"{rung['warehouse_megabytes']:,.1f}",
    ]


def _slowest_models(rungs: list[dict[str, Any]]) -> str:
    """The slowest models of the largest rung, with their time at every rung."""
    largest = rungs[-1]["build"]["model_median_seconds"]
    headers = ("model (median s)", *(f"{rung['scale']} {rung['events']:,} ev" for rung in rungs))
    rows = [
        [model, *(f"{rung['build']['model_median_seconds'].get(model, 0.0):.2f}" for rung in rungs)]
        for model in list(largest)[:SLOWEST_MODELS]
    ]
    return fixed_width_table(headers, rows)
