"""Benchmark the warehouse: dbt's fixed overhead, each model's time, and `dbt build` per scale.

For every rung of a ladder (a scale preset and the days that make about N clickstream events, as
in `generate.py`) a bronze lake is prepared once, untimed; then `dbt build` (every model, seed
and test) runs `--repeats` times, each into a fresh DuckDB file. dbt's fixed overhead is measured
on the first rung: a parse without partial parsing, and `dbt build --empty` (every model built
from zero input rows). Prints tables and writes `benchmarks/results/warehouse-<UTC>.json`.

    .venv/bin/python benchmarks/warehouse.py            # ~100k, ~1M, ~10M events, 3 repeats
    .venv/bin/python benchmarks/warehouse.py --quick    # tiny smoke run, 1 repeat
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from genbench.ladder import Plan, Rung, parse_count, plan_ladder
from genbench.report import machine_facts, write_json
from whbench.lake import prepare_lake
from whbench.report import render
from whbench.runs import DbtRun, run_dbt
from whbench.summary import summarise_build, summarise_overhead

RESULTS = Path(__file__).resolve().parent / "results"
PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb", "deltalake", "polars")
BYTES_PER_MB = 1024 * 1024


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["small", "medium", "large"], help="scale preset per rung")
    parser.add_argument("--events", nargs="+", default=["100k", "1M", "10M"], help="target events per rung")
    parser.add_argument("--days", nargs="+", type=int, help="fixed day count per rung (skips calibration)")
    parser.add_argument("--repeats", type=int, default=3, help="dbt builds per rung; medians are reported")
    parser.add_argument("--workers", type=int, default=2, help="processes that generate the bronze lakes")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2025, 9, 1))
    parser.add_argument("--tmp-dir", type=Path, default=None, help="where the scratch lakes and warehouses go")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--quick", action="store_true", help="smoke run: one tiny rung, one repeat")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.events, args.repeats = ["tiny"], ["20k"], 1
    if len(args.scales) != len(args.events) or (args.days and len(args.days) not in {1, len(args.scales)}):
        parser.error("give one --events (and optionally one --days) per --scales entry")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def build_rungs(args: argparse.Namespace) -> list[Rung]:
    days = args.days * len(args.scales) if args.days and len(args.days) == 1 else args.days
    return [
        Rung(parse_count(events), scale, days[index] if days else None)
        for index, (scale, events) in enumerate(zip(args.scales, args.events, strict=True))
    ]


def measure_overhead(data_dir: Path, repeats: int) -> dict[str, Any]:
    """Parse from scratch and build every model from empty inputs, `repeats` times each."""
    parses = [
        run_dbt(["parse", "--no-partial-parse"], data_dir=data_dir, target=_fresh(data_dir, "parse", i))
        for i in range(repeats)
    ]
    empty: list[DbtRun] = []
    for index in range(repeats):
        _drop_warehouse(data_dir)
        empty.append(
            run_dbt(
                ["build", "--empty", "--exclude-resource-type", "test"],
                data_dir=data_dir,
                target=_fresh(data_dir, "empty", index),
            )
        )
    return summarise_overhead(parses, empty) | {"raw": [asdict(run) for run in parses + empty]}


def measure_builds(plan: Plan, data_dir: Path, repeats: int) -> dict[str, Any]:
    """`dbt build` `repeats` times on the rung's lake, each into a fresh warehouse file."""
    target = _fresh(data_dir, "build", 0)
    run_dbt(["parse"], data_dir=data_dir, target=target)  # the pipeline builds from a parsed project too
    builds: list[DbtRun] = []
    for _ in range(repeats):
        _drop_warehouse(data_dir)
        builds.append(run_dbt(["build"], data_dir=data_dir, target=target))
        _progress(f"  dbt build: {builds[-1].wall_seconds:.1f} s")
    warehouse = data_dir / "warehouse" / "ecap.duckdb"
    return {
        "scale": plan.days.scale,
        "days": plan.days.days,
        "start": plan.days.start.isoformat(),
        "build": summarise_build(builds),
        "warehouse_megabytes": warehouse.stat().st_size / BYTES_PER_MB,
        "raw_builds": [asdict(run) for run in builds],
    }


def main(argv: list[str] | None = None) -> int:
    """Plan the ladder, prepare each lake, measure, print and save the report."""
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    machine = machine_facts(PACKAGES)
    plans = plan_ladder(build_rungs(args), seed=args.seed, start=args.start, workers=args.workers)
    rungs: list[dict[str, Any]] = []
    overhead: dict[str, Any] = {}
    for plan in plans:
        with tempfile.TemporaryDirectory(prefix="ecap-warehouse-bench-", dir=args.tmp_dir) as scratch:
            data_dir = Path(scratch)
            _progress(f"{plan.days.scale}: preparing {plan.days.days} days of bronze from {plan.days.start}")
            rows = prepare_lake(plan.days, data_dir, workers=args.workers)
            if not overhead:
                _progress("  fixed overhead: dbt parse, dbt build --empty")
                overhead = measure_overhead(data_dir, args.repeats)
            rung = measure_builds(plan, data_dir, args.repeats)
            rungs.append(rung | {"events": rows["events"], "bronze_rows": rows})
    payload = {
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine | {"load_average_at_end": os.getloadavg()},
        "parameters": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
        "fixed_overhead": overhead,
        "rungs": rungs,
    }
    print(render(payload))
    print(f"\nJSON: {write_json(args.out, payload, started, name='warehouse')}")
    return 0


def _fresh(data_dir: Path, kind: str, index: int) -> Path:
    target = data_dir / "dbt" / f"{kind}-{index}"
    target.mkdir(parents=True, exist_ok=True)
    return target


def _drop_warehouse(data_dir: Path) -> None:
    warehouse = data_dir / "warehouse"
    warehouse.mkdir(parents=True, exist_ok=True)
    for path in warehouse.glob("ecap.duckdb*"):
        path.unlink()


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
