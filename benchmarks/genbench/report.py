"""What a benchmark run leaves behind: a fixed-width table for people, a JSON file for machines.

The JSON carries the machine facts (cores, load, package versions, the commit and whether the
generator had uncommitted changes) because a figure without them cannot be compared with the
next one.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

PACKAGES = ("polars", "deltalake", "pyarrow", "numpy", "faker")
REPO_ROOT = Path(__file__).resolve().parents[2]


def machine_facts(packages: tuple[str, ...] = PACKAGES) -> dict[str, Any]:
    """Where the figures were measured: cores, Python, package versions, code version, load."""
    return {
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "load_average_1_5_15": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in packages},
        "git": _git_state(),
    }


def write_json(out_dir: Path, payload: dict[str, Any], started: dt.datetime, *, name: str = "generate") -> Path:
    """`<name>-<UTC timestamp>.json` in `out_dir`, created if needed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


def render(payload: dict[str, Any]) -> str:
    """The whole human-readable report."""
    params = payload["parameters"]
    mode = f"{params['workers']} worker processes" if params["workers"] > 1 else "sequential (1 process)"
    lines = [
        f"ECAP generator benchmark — {mode}, {params['repeats']} repeat(s), median [min-max]",
        f"machine: {payload['machine']['usable_cpus']} usable CPUs, load {payload['machine']['load_average_1_5_15']}",
        "",
        fixed_width_table(_THROUGHPUT, [_throughput_row(rung) for rung in payload["rungs"]]),
        "",
        fixed_width_table(_WRITES, [_writes_row(rung) for rung in payload["rungs"]]),
    ]
    if payload.get("naive"):
        naive = payload["naive"]["summary"]
        lines += [
            "",
            f"naive baseline: {naive['events']:,} events in {seconds_spread(naive['seconds'])} s = "
            f"{naive['events_per_second']:,.0f} events/s (would need "
            f"{naive['extrapolated_seconds_for_largest_rung'] / 60:,.1f} min for the largest rung)",
        ]
    lines += ["", "targets:"]
    lines += [
        f"  {'met    ' if check['met'] else 'NOT met'}  {check['target']}: "
        f"{check['measured']:,.2f} (goal {check['relation']} {check['goal']:,})"
        for check in payload["targets"]
    ]
    lines += [f"  note: {note}" for note in payload["notes"]]
    return "\n".join(lines)


_THROUGHPUT = (
    "scale",
    "days",
    "events",
    "rows",
    "gen s",
    "gen ev/s",
    "gen+write s",
    "gen+write ev/s",
    "total cpu s gen|g+w",
    "cpu s gen|files|commit",
)
_WRITES = (
    "scale",
    "delta cpu s",
    "pq cpu s",
    "delta/pq",
    "wall d/p",
    "delta MB",
    "pq MB",
    "delta files",
    "commits",
    "pq files",
    "RSS MB self",
    "worker",
    "bound",
)


def _throughput_row(rung: dict[str, Any]) -> list[str]:
    summary, cpu, total = (
        rung["summary"],
        rung["summary"]["cpu_median_seconds"],
        rung["summary"]["total_cpu_median_seconds"],
    )
    return [
        rung["scale"],
        str(rung["days"]),
        f"{summary['events']:,}",
        f"{summary['rows']:,}",
        seconds_spread(summary["generation_seconds"]),
        f"{summary['generation_events_per_second']:,.0f}",
        seconds_spread(summary["generation_and_write_seconds"]),
        f"{summary['generation_and_write_events_per_second']:,.0f}",
        f"{total['generation']:.1f}|{total['generation_and_write']:.1f}",
        f"{cpu['generate']:.2f}|{cpu['files']:.2f}|{cpu['commit']:.2f}",
    ]


def _writes_row(rung: dict[str, Any]) -> list[str]:
    summary, cpu, rss = rung["summary"], rung["summary"]["cpu_median_seconds"], rung["summary"]["peak_rss_mb"]
    return [
        rung["scale"],
        f"{cpu['delta_write']:.2f}",
        f"{cpu['parquet_write']:.2f}",
        f"{summary['delta_parquet_ratio']:.2f}",
        f"{summary['delta_parquet_wall_ratio']:.2f}",
        f"{summary['delta']['megabytes']:,.1f}",
        f"{summary['parquet']['megabytes']:,.1f}",
        str(summary["delta"]["data_files"]),
        str(summary["delta"]["commits"]),
        str(summary["parquet"]["data_files"]),
        f"{rss['self']:,.0f}",
        f"{rss['largest_worker']:,.0f}",
        f"{rss['bound']:,.0f}",
    ]


def seconds_spread(spread: dict[str, float]) -> str:
    return f"{spread['median']:.2f} [{spread['min']:.2f}-{spread['max']:.2f}]"


def fixed_width_table(headers: tuple[str, ...], rows: list[list[str]]) -> str:
    """Left-aligned first column, right-aligned figures, columns as wide as their widest cell."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str] | tuple[str, ...]) -> str:
        first, *rest = cells
        return "  ".join(
            [first.ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))]
        )

    return "\n".join([line(headers), "  ".join("-" * width for width in widths), *(line(row) for row in rows)])


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git_state() -> dict[str, Any]:
    """The commit, and which files under the generator/lake packages differ from it."""
    try:
        commit = _git("rev-parse", "HEAD").strip()
        dirty = _git("status", "--porcelain", "--", "ecap_pipeline").splitlines()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "uncommitted": None}
    return {"commit": commit, "uncommitted": dirty}


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
