"""Benchmark publishing the warehouse: what each writer pays to copy and publish the DuckDB file.

Every writer (`dbt build`, the docs site, score tables) copies the published warehouse to a
private file before writing and renames it over the published one afterwards
(`ecap_pipeline.warehouse.publish`). This measures, on a scratch copy of a real warehouse (the
given file is only read): the file copy alone, and a whole no-op publish (lock, copy, checkpoint,
fsync, rename). With `--synthetic-mb` it also times the copy of a file of that many MiB of random
bytes, for a size you have no warehouse of (the 10M-event warehouse is 884 MB, see README.md).

    .venv/bin/python benchmarks/publish.py --warehouse data/warehouse/ecap.duckdb
    .venv/bin/python benchmarks/publish.py --warehouse data/warehouse/ecap.duckdb --synthetic-mb 884
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genbench.report import machine_facts, write_json

from ecap_pipeline.warehouse.publish import publishing

RESULTS = Path(__file__).resolve().parent / "results"
BYTES_PER_MB = 1024 * 1024
_CHUNK = 64 * BYTES_PER_MB


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, required=True, help="a built ecap.duckdb (only read)")
    parser.add_argument("--synthetic-mb", type=int, default=0, help="also time copying a random file this large")
    parser.add_argument("--repeats", type=int, default=5, help="runs of every measurement; medians are reported")
    parser.add_argument("--tmp-dir", type=Path, default=None, help="where the scratch copies go (pick the disk)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        parser.error(f"--warehouse {args.warehouse} is not a file: build one first (ecap build)")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def timed(action: Callable[[], None], repeats: int) -> dict[str, float]:
    """Median, min and max wall seconds of `repeats` runs of `action`."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds)}


def measure_warehouse(source: Path, scratch: Path, repeats: int) -> dict[str, Any]:
    published = scratch / "warehouse" / source.name
    published.parent.mkdir()
    shutil.copyfile(source, published)
    copy_target = scratch / "copy.duckdb"

    def no_op_publish() -> None:
        with publishing(published):
            pass

    copy = timed(lambda: shutil.copyfile(published, copy_target), repeats)
    cycle = timed(no_op_publish, repeats)
    return {"bytes": published.stat().st_size, "copy_s": copy, "publish_cycle_s": cycle}


def measure_synthetic(megabytes: int, scratch: Path, repeats: int) -> dict[str, Any]:
    source = scratch / "synthetic.bin"
    with source.open("wb") as handle:
        for _ in range(0, megabytes * BYTES_PER_MB, _CHUNK):
            handle.write(os.urandom(_CHUNK))
        handle.truncate(megabytes * BYTES_PER_MB)
    copy = timed(lambda: shutil.copyfile(source, scratch / "synthetic-copy.bin"), repeats)
    return {"bytes": source.stat().st_size, "copy_s": copy}


def render(payload: dict[str, Any]) -> str:
    lines = [
        f"ECAP warehouse publish benchmark — {payload['parameters']['repeats']} repeat(s), median [min-max] s",
        f"machine: {payload['machine']['usable_cpus']} usable CPUs, load {payload['machine']['load_average_1_5_15']}",
    ]
    for label, figures in payload["results"].items():
        megabytes = figures["bytes"] / BYTES_PER_MB
        copy = figures["copy_s"]
        lines.append(
            f"{label:<10} {megabytes:8.1f} MB  copy {_spread(copy)}  ({megabytes / copy['median']:,.0f} MB/s)"
            + (f"  whole publish {_spread(figures['publish_cycle_s'])}" if "publish_cycle_s" in figures else "")
        )
    return "\n".join(lines)


def _spread(seconds: dict[str, float]) -> str:
    return f"{seconds['median']:.3f} [{seconds['min']:.3f}-{seconds['max']:.3f}]"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=args.tmp_dir, prefix="ecap-publish-bench-") as scratch:
        results["warehouse"] = measure_warehouse(args.warehouse.resolve(), Path(scratch), args.repeats)
        if args.synthetic_mb:
            results["synthetic"] = measure_synthetic(args.synthetic_mb, Path(scratch), args.repeats)
    payload = {
        "machine": machine_facts(("duckdb",)),
        "parameters": {key: str(value) for key, value in vars(args).items()},
        "results": results,
    }
    print(render(payload))
    print(f"\nwritten: {write_json(args.out, payload, started, name='publish')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
