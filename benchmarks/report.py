"""Benchmark the people-facing outputs: the executive report and the Excel workbook, on a built warehouse.

Both only read the warehouse (one read-only connection each), so the given file is never changed;
the outputs go to a scratch directory. Each is built `--repeats` times and the median is reported,
with the file sizes, the panels drawn and the rows written.

    .venv/bin/python benchmarks/report.py --warehouse data/warehouse/ecap.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from genbench.report import fixed_width_table, machine_facts, write_json

from ecap_pipeline.reports.executive import build_executive_report
from ecap_pipeline.reports.workbook import export_workbook

T = TypeVar("T")
RESULTS = Path(__file__).resolve().parent / "results"
_KIB = 1024


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, required=True, help="a built ecap.duckdb (only read)")
    parser.add_argument("--repeats", type=int, default=3, help="builds of each output; the median is reported")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        parser.error(f"--warehouse {args.warehouse} is not a file: build one first (ecap build)")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def timed(build: Callable[[], T], repeats: int) -> tuple[T, dict[str, float]]:
    """The last result and the median, min and max wall seconds of `repeats` builds."""
    seconds = []
    results = []
    for _ in range(repeats):
        started = time.perf_counter()
        results.append(build())
        seconds.append(time.perf_counter() - started)
    return results[-1], {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds)}


def measure(warehouse: Path, scratch: Path, repeats: int) -> dict[str, Any]:
    report, report_s = timed(lambda: build_executive_report(warehouse, scratch / "executive_report.html"), repeats)
    workbook, workbook_s = timed(lambda: export_workbook(warehouse, scratch / "ecap_marts.xlsx"), repeats)
    return {
        "warehouse_bytes": warehouse.stat().st_size,
        "report": {
            "seconds": report_s,
            "bytes": report.size_bytes,
            "panels_shown": sum(panel.available for panel in report.panels),
            "panels_unavailable": [panel.title for panel in report.panels if not panel.available],
        },
        "workbook": {
            "seconds": workbook_s,
            "bytes": workbook.size_bytes,
            "sheets": workbook.sheets,
            "rows": sum(workbook.sheets.values()),
            "missing": list(workbook.missing),
        },
    }


def render(payload: dict[str, Any]) -> str:
    results = payload["results"]
    rows = []
    for label, key, detail in (
        ("executive report", "report", f"{results['report']['panels_shown']} panels drawn"),
        (
            "excel workbook",
            "workbook",
            f"{len(results['workbook']['sheets'])} sheets, {results['workbook']['rows']:,} rows",
        ),
    ):
        figures = results[key]
        spread = figures["seconds"]
        rows.append(
            [
                label,
                f"{spread['median']:.2f}",
                f"{spread['min']:.2f}-{spread['max']:.2f}",
                f"{figures['bytes'] / _KIB:,.0f}",
                detail,
            ]
        )
    header = (
        f"ECAP report benchmark — warehouse {results['warehouse_bytes'] / _KIB / _KIB:.1f} MiB, "
        f"{payload['parameters']['repeats']} repeat(s); machine: {payload['machine']['usable_cpus']} usable CPUs, "
        f"load {payload['machine']['load_average_1_5_15']}"
    )
    table = fixed_width_table(("output", "median s", "min-max s", "KiB", "contents"), rows)
    unavailable = results["report"]["panels_unavailable"]
    return "\n".join([header, table] + ([f"panels not available: {', '.join(unavailable)}"] if unavailable else []))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="ecap-report-bench-") as scratch:
        results = measure(args.warehouse.resolve(), Path(scratch), args.repeats)
    payload = {
        "machine": machine_facts(("duckdb", "plotly", "xlsxwriter", "polars")),
        "parameters": {key: str(value) for key, value in vars(args).items()},
        "results": results,
    }
    print(render(payload))
    print(f"\nwritten: {write_json(args.out, payload, started, name='report')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
