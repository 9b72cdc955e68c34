"""Benchmark of the synthetic shop generator and its bronze Delta write.

Run as a script from the project's virtualenv (see benchmarks/README.md):

    .venv/bin/python benchmarks/generate.py [--quick] [--scales ...] [--events ...] [--days N]
        [--repeats 3] [--workers 2] [--naive-events 100000] [--out benchmarks/results/]

For each rung of a ladder (about 100k, 1M and 10M clickstream events by default) it times
generation alone, generation plus the bronze Delta write (workers write each day's data files,
then one commit per table), and the same days written as plain Parquet; then a naive
tutorial-style generator for the speed-up. Every measurement runs in a fresh process so its peak
memory is its own. It prints a table and writes a JSON file; it never
fails on a missed target, because a benchmark informs and the figures are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from genbench.isolate import run_isolated
from genbench.ladder import Plan, Rung, parse_count, plan_ladder
from genbench.measure import measure_generation, measure_generation_and_parquet, measure_generation_and_write
from genbench.naive import measure_naive
from genbench.report import machine_facts, render, write_json
from genbench.summary import check_targets, summarise_naive, summarise_rung

from ecap_pipeline.generate.scales import get_scale

DEFAULT_SCALES = ("small", "medium", "large")
DEFAULT_EVENTS = ("100k", "1M", "10M")
QUICK_SCALES = ("tiny", "small")
QUICK_EVENTS = ("5k", "30k")
QUICK_NAIVE_EVENTS = 2_000
LAKE_COLUMN_PREFIXES = ("_", "partition_date")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; `--quick` swaps in a ladder that finishes in well under a minute."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", default=None, help=f"scale preset per rung {DEFAULT_SCALES}")
    parser.add_argument("--events", nargs="+", default=None, help=f"target events per rung {DEFAULT_EVENTS}")
    parser.add_argument("--days", nargs="+", type=int, default=None, help="fixed day count (one, or one per rung)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--workers", type=int, default=2, help="generator processes (1 = sequential)")
    parser.add_argument("--naive-events", type=int, default=100_000, help="events of the naive baseline (0 = skip)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2025, 9, 1), help="first day")
    parser.add_argument("--tmp-dir", default=None, help="where the scratch lakes are written (default: system temp)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    parser.add_argument("--quick", action="store_true", help="tiny ladder, 1 repeat, small naive cap (smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales = args.scales or list(QUICK_SCALES)
        args.events = args.events or list(QUICK_EVENTS)
        args.repeats, args.naive_events = 1, min(args.naive_events, QUICK_NAIVE_EVENTS)
    args.scales = args.scales or list(DEFAULT_SCALES)
    args.events = args.events or list(DEFAULT_EVENTS)
    if args.repeats < 1 or args.workers < 1:
        parser.error("--repeats and --workers must be at least 1")
    return args


def build_rungs(args: argparse.Namespace) -> list[Rung]:
    """One rung per scale; a single --events or --days value applies to every rung."""
    count = max(len(args.scales), len(args.events), len(args.days or []))
    columns = {"--scales": args.scales, "--events": args.events, "--days": args.days or [None]}
    for flag, values in columns.items():
        if len(values) not in {1, count}:
            msg = f"{flag} has {len(values)} values; give one, or one per rung ({count})"
            raise SystemExit(msg)
    scales, events, days = (values * count if len(values) == 1 else values for values in columns.values())
    return [
        Rung(parse_count(target), get_scale(name).name, fixed)
        for name, target, fixed in zip(scales, events, days, strict=True)
    ]


def run_rung(plan: Plan, args: argparse.Namespace) -> dict[str, Any]:
    """Every repeat of one rung, generation-only and gen+write interleaved to share the noise."""
    result: dict[str, Any] = {
        "scale": plan.days.scale,
        "target_events": plan.rung.target_events,
        "planned_events": plan.planned_events,
        "start": plan.days.start.isoformat(),
        "days": plan.days.days,
        "generation": [],
        "generation_and_write": [],
        "generation_and_parquet": [],
    }
    for repeat in range(args.repeats):
        gen = _isolated(measure_generation, plan.days, args.workers)
        writes = {
            "generation_and_write": measure_generation_and_write,
            "generation_and_parquet": measure_generation_and_parquet,
        }
        for key in list(writes)[:: -1 if repeat % 2 else 1]:  # alternate which write meets the warmer cache
            result[key].append(_isolated(writes[key], plan.days, args.workers, tmp_dir=args.tmp_dir))
        result["generation"].append(gen)
        write, parquet = result["generation_and_write"][-1], result["generation_and_parquet"][-1]
        _progress(
            f"  {plan.days.scale} repeat {repeat + 1}/{args.repeats}: {write['events']:,} events, "
            f"gen {gen['seconds']:.2f}s, gen+write {write['seconds']:.2f}s "
            f"(delta write {write['delta_write_cpu_seconds']:.2f} cpu s, commits {write['commit_seconds']:.2f}s), "
            f"gen+parquet {parquet['seconds']:.2f}s"
        )
    result["summary"] = summarise_rung(result, args.workers)
    return result


def run_naive(args: argparse.Namespace, largest_events: int) -> dict[str, Any]:
    """The tutorial-style baseline, repeated like the rungs."""
    runs = []
    for repeat in range(args.repeats):
        runs.append(_isolated(measure_naive, args.start, args.naive_events, args.seed))
        _progress(f"  naive repeat {repeat + 1}/{args.repeats}: {runs[-1]['seconds']:.2f}s")
    return {"runs": runs, "summary": summarise_naive(runs, largest_events)}


def collect_notes(args: argparse.Namespace, rungs: list[dict[str, Any]], naive: dict[str, Any] | None) -> list[str]:
    """What a reader should know to trust (or not) the figures."""
    notes = [
        "generation ran "
        + (f"on {args.workers} processes (ProcessPoolExecutor)" if args.workers > 1 else "in-process"),
        "timings on a shared machine are noisy: compare medians across runs, not single figures",
    ]
    for rung in rungs:
        for table, reason in rung["summary"]["skipped_tables"].items():
            notes.append(f"{rung['scale']}: table {table!r} not written to bronze, left out of both writes: {reason}")
    if naive is not None:
        real = [
            column
            for column in rungs[-1]["generation_and_write"][-1]["columns_by_table"].get("events", [])
            if not column.startswith(LAKE_COLUMN_PREFIXES)
        ]
        if naive["runs"][-1]["event_columns"] != real:
            notes.append(f"naive events columns {naive['runs'][-1]['event_columns']} differ from the real {real}")
    return notes


def main(argv: list[str] | None = None) -> int:
    """Plan the ladder, measure every rung and the baseline, print and save the report."""
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    machine = machine_facts()
    ladder = build_rungs(args)
    _progress("planning: " + ", ".join(f"{rung.scale} ~{rung.target_events:,} events" for rung in ladder))
    rungs = []
    for plan in plan_ladder(ladder, seed=args.seed, start=args.start, workers=args.workers):
        _progress(f"{plan.days.scale}: {plan.days.days} days from {plan.days.start}")
        rungs.append(run_rung(plan, args))
    largest_events = rungs[-1]["summary"]["events"]
    naive = run_naive(args, largest_events) if args.naive_events > 0 else None
    payload = {
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine | {"load_average_at_end": os.getloadavg()},
        "parameters": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
        "rungs": rungs,
        "naive": naive,
        "targets": check_targets(rungs, naive["summary"] if naive else None),
        "notes": collect_notes(args, rungs, naive),
    }
    print(render(payload))
    print(f"\nJSON: {write_json(args.out, payload, started)}")
    return 0


def _isolated(func: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """`func` in a fresh process, its result with that process's peak memory and total CPU time attached."""
    result, use = run_isolated(func, *args, **kwargs)
    return result | {
        "peak_memory": {"self_mb": use.self_mb, "largest_child_mb": use.largest_child_mb},
        "total_cpu_seconds": use.cpu_seconds,
    }


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
