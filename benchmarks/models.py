"""Benchmark the models: training time and scoring throughput of churn, CLV and fraud per scale.

For every rung (a scale preset and a number of days) a shop is built once, untimed: bronze and
ground truth written as the pipeline writes them, then `dbt build`. Each model is then trained
and scored `--repeats` times on it through the same domain functions its Dagster assets call.
A model that cannot train on a rung (fraud on too few fraudulent orders) is listed as skipped
with the reason. Prints a table and writes `benchmarks/results/models-<UTC>.json` (with every metric).

    .venv/bin/python benchmarks/models.py              # tiny 120 days, small 274 days, medium 120 days
    .venv/bin/python benchmarks/models.py --quick      # tiny 60 days, 1 repeat
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genbench.days import DayRange
from genbench.report import machine_facts, write_json
from modelbench.churn import measure_churn
from modelbench.clv import measure_clv
from modelbench.fraud import measure_fraud
from modelbench.report import render
from modelbench.shop import Shop, build_shop

RESULTS = Path(__file__).resolve().parent / "results"
PACKAGES = ("scikit-learn", "scipy", "numpy", "polars", "duckdb")
MEASURES: dict[str, Callable[[Shop, int], dict[str, Any]]] = {
    "churn": measure_churn,
    "clv": measure_clv,
    "fraud": measure_fraud,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["tiny", "small", "medium"], help="scale preset per rung")
    parser.add_argument("--days", nargs="+", type=int, default=[120, 274, 120], help="days per rung")
    parser.add_argument("--models", nargs="+", default=list(MEASURES), choices=list(MEASURES))
    parser.add_argument("--repeats", type=int, default=3, help="trainings and scorings per model; medians reported")
    parser.add_argument("--workers", type=int, default=2, help="processes that generate the lakes")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2025, 3, 1))
    parser.add_argument("--tmp-dir", type=Path, default=None, help="where the scratch shops go")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--quick", action="store_true", help="smoke run: one tiny 60-day rung, one repeat")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.days, args.repeats = ["tiny"], [60], 1
    if len(args.scales) != len(args.days):
        parser.error("give one --days per --scales entry")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Build each rung's shop, time every model on it, print and save the report."""
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    machine = machine_facts(PACKAGES)
    rungs: list[dict[str, Any]] = []
    for scale, days in zip(args.scales, args.days, strict=True):
        with tempfile.TemporaryDirectory(prefix="ecap-model-bench-", dir=args.tmp_dir) as scratch:
            _progress(f"{scale}: building {days} days from {args.start} (untimed)")
            shop = build_shop(DayRange(scale, args.seed, args.start, days), Path(scratch), workers=args.workers)
            measured = []
            for model in args.models:
                _progress(f"  {model}: training and scoring x{args.repeats}")
                measured.append(MEASURES[model](shop, args.repeats))
            rungs.append({"scale": scale, "days": days, "rows": shop.rows, "models": measured})
    payload = {
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine | {"load_average_at_end": os.getloadavg()},
        "parameters": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
        "rungs": rungs,
    }
    print(render(payload))
    print(f"\nJSON: {write_json(args.out, payload, started, name='models')}")
    return 0


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
