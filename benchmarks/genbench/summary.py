"""From raw repeats to the figures the issue asks for, and how they compare with its targets.

Only medians are compared with targets: on a shared two-core machine a single slow repeat says
more about the neighbours than about the code, and min/max are kept beside it to show the noise.
"""

from __future__ import annotations

import statistics
from typing import Any

TARGET_EVENTS_PER_SECOND = 1_000_000
TARGET_SPEEDUP = 1_000
TARGET_DELTA_PARQUET_RATIO = 1.3
TARGET_PEAK_RSS_MB = 4 * 1024


def spread(values: list[float]) -> dict[str, float]:
    """Median, min and max of repeated timings."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise_rung(rung: dict[str, Any], workers: int) -> dict[str, Any]:
    """The per-rung figures of the report from the raw repeats of one rung."""
    gen, write, parquet = rung["generation"], rung["generation_and_write"], rung["generation_and_parquet"]
    events = write[-1]["events"]
    gen_seconds = spread([run["seconds"] for run in gen])
    write_seconds = spread([run["seconds"] for run in write])
    last = write[-1]
    paired = list(zip(write, parquet, strict=True))
    parquet_seconds = [_parquet_seconds(run, ours["delta_tables"], "parquet_seconds_by_table") for ours, run in paired]
    parquet_cpu = [_parquet_seconds(run, ours["delta_tables"], "parquet_cpu_seconds_by_table") for ours, run in paired]
    return {
        "events": events,
        "rows": sum(last["rows_by_table"].values()),
        "generation_seconds": gen_seconds,
        "generation_events_per_second": events / gen_seconds["median"],
        "generation_and_write_seconds": write_seconds,
        "generation_and_write_events_per_second": events / write_seconds["median"],
        "generation_and_parquet_seconds": spread([run["seconds"] for run in parquet]),
        "phases_median_seconds": {
            phase: statistics.median(run[f"{phase}_seconds"] for run in write)
            for phase in ("pool", "generate", "files", "commit", "delta_write")
        }
        | {"parquet_write": statistics.median(parquet_seconds)},
        "cpu_median_seconds": {
            "generation_alone": statistics.median(run["generate_cpu_seconds"] for run in gen),
            **{
                phase: statistics.median(run[f"{phase}_cpu_seconds"] for run in write)
                for phase in ("generate", "files", "commit", "delta_write")
            },
            "parquet_write": statistics.median(parquet_cpu),
        },
        "total_cpu_median_seconds": {
            name: statistics.median(run["total_cpu_seconds"] for run in runs)
            for name, runs in (
                ("generation", gen),
                ("generation_and_write", write),
                ("generation_and_parquet", parquet),
            )
        },
        "delta_parquet_ratio": statistics.median(
            ours["delta_write_cpu_seconds"] / seconds for (ours, _), seconds in zip(paired, parquet_cpu, strict=True)
        ),
        "delta_parquet_wall_ratio": statistics.median(
            ours["delta_write_seconds"] / seconds for (ours, _), seconds in zip(paired, parquet_seconds, strict=True)
        ),
        "delta": last["delta"],
        "parquet": _parquet_stats(parquet[-1], last["delta_tables"]),
        "skipped_tables": last["skipped_tables"],
        "peak_rss_mb": _peak_rss(write, workers),
        "generation_peak_rss_mb": _peak_rss(gen, workers),
        "parquet_peak_rss_mb": _peak_rss(parquet, workers),
    }


def summarise_naive(runs: list[dict[str, Any]], largest_events: int) -> dict[str, Any]:
    """Naive events/s, and how long it would take for the largest rung at that rate."""
    seconds = spread([run["seconds"] for run in runs])
    rate = runs[-1]["events"] / seconds["median"]
    return {
        "events": runs[-1]["events"],
        "rows": sum(runs[-1]["rows_by_table"].values()),
        "seconds": seconds,
        "events_per_second": rate,
        "extrapolated_seconds_for_largest_rung": largest_events / rate,
    }


def check_targets(rungs: list[dict[str, Any]], naive: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each target of the issue with the measured figure and whether it is met (no assertion)."""
    largest = rungs[-1]["summary"]
    rate = largest["generation_and_write_events_per_second"]
    checks = [
        _check(f"gen+write events/s at the {largest['events']:,}-event rung", rate, TARGET_EVENTS_PER_SECOND, ">="),
        _check(
            "Delta / Parquet write CPU time (largest rung)",
            largest["delta_parquet_ratio"],
            TARGET_DELTA_PARQUET_RATIO,
            "<=",
        ),
        _check(
            "peak RSS MB, bound over all rungs",
            max(rung["summary"]["peak_rss_mb"]["bound"] for rung in rungs),
            TARGET_PEAK_RSS_MB,
            "<=",
        ),
    ]
    if naive is not None:
        speedup = rate / naive["events_per_second"]
        checks.insert(1, _check("speed-up vs naive (gen+write vs naive gen)", speedup, TARGET_SPEEDUP, ">="))
    return checks


def _check(name: str, measured: float, target: float, relation: str) -> dict[str, Any]:
    met = measured >= target if relation == ">=" else measured <= target
    return {"target": name, "measured": measured, "relation": relation, "goal": target, "met": met}


def _parquet_seconds(run: dict[str, Any], tables: list[str], key: str) -> float:
    """Seconds of a plain Parquet run spent on the tables that Delta also wrote."""
    return sum(run[key][table] for table in tables)


def _parquet_stats(run: dict[str, Any], tables: list[str]) -> dict[str, float]:
    """Bytes and files of the plain Parquet tables that Delta also wrote."""
    stats = [run["parquet_by_table"][table] for table in tables]
    return {
        "megabytes": sum(stat["megabytes"] for stat in stats),
        "data_files": sum(stat["data_files"] for stat in stats),
        "commits": 0,
    }


def _peak_rss(runs: list[dict[str, Any]], workers: int) -> dict[str, float]:
    """Peaks over the repeats; `bound` assumes every worker peaked at once with the parent."""
    own = max(run["peak_memory"]["self_mb"] for run in runs)
    child = max(run["peak_memory"]["largest_child_mb"] for run in runs)
    return {"self": own, "largest_worker": child, "bound": own + (workers if workers > 1 else 0) * child}
