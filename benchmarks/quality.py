"""Benchmark the bronze quality checks: what `bronze_quality` costs a run, per scale.

For each scale a bronze lake of `--days` days is prepared once, untimed (generated and written
with `replace_partitions`, the pipeline's own write path); then the check runs `--repeats` times over every day, as the
default build's single run does: reading the days and the parent keys, every suite, the
row-volume judgements and the Data Docs site. Importing great-expectations is timed apart, in a
fresh interpreter, because a run pays it once, not per check.

    .venv/bin/python benchmarks/quality.py                       # tiny 30 days and small 90 days
    .venv/bin/python benchmarks/quality.py --scales tiny --days 30 --repeats 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from ecap_pipeline.generate.config import shop_config
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.lake.bronze import BatchInfo, replace_partitions, with_lake_columns
from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.quality.bronze import check_bronze

IMPORT_PROBE = "import time; t = time.perf_counter(); import great_expectations; print(time.perf_counter() - t)"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["tiny", "small"], help="scale preset per rung")
    parser.add_argument("--days", nargs="+", type=int, default=[30, 90], help="days per rung (same order)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2025, 9, 1))
    return parser.parse_args(argv)


def prepare_lake(lake_root: Path, scale: str, days: list[dt.date]) -> None:
    """Generate `days` of the shop (opening on the first) and write every bronze table."""
    config = shop_config(42, scale, days[0])
    batch = BatchInfo(batch_id="quality-benchmark", ingested_at=dt.datetime.now(dt.UTC), source="benchmark")
    frames: dict[str, list[pl.DataFrame]] = {table: [] for table in BRONZE_TABLES}
    for day in days:
        for table, frame in generate_day(config, day).items():
            if table in frames:
                frames[table].append(with_lake_columns(frame, day, batch))
    for table, parts in frames.items():
        replace_partitions(lake_root, table, pl.concat(parts), days)


def import_seconds() -> float:
    """Seconds a fresh interpreter spends importing great-expectations."""
    probe = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True)
    return float(probe.stdout.strip())


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print(f"great-expectations import: {import_seconds():.1f} s (once per run)")
    print(f"{'scale':<8}{'days':>6}{'rows checked':>15}{'best s':>9}{'median s':>10}")
    for scale, days in zip(args.scales, args.days, strict=True):
        with tempfile.TemporaryDirectory(prefix=f"quality-bench-{scale}-") as tmp:
            data_dir = Path(tmp)
            dates = [args.start + dt.timedelta(days=offset) for offset in range(days)]
            prepare_lake(data_dir / "lake", scale, dates)
            times, rows = [], 0
            for _ in range(args.repeats):
                started = time.perf_counter()
                quality = check_bronze(
                    data_dir / "lake", dates, run_name="benchmark", docs_dir=data_dir / "docs" / "quality"
                )
                times.append(time.perf_counter() - started)
                rows = sum(outcome.rows for outcome in quality.tables.values())
            times.sort()
            print(f"{scale:<8}{days:>6}{rows:>15,}{times[0]:>9.1f}{times[len(times) // 2]:>10.1f}")


if __name__ == "__main__":
    main()
