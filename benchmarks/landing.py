"""Benchmark the landing zone: one shop order export of N rows, read, validated and landed.

For each size, an export of N orders is written as CSV (1% of rows broken in one of five ways:
negative amount, unparseable timestamp, missing customer, duplicated order id, unknown product)
into a fresh data directory whose bronze holds a 300-product catalog. Then, `--repeats` times,
each into a fresh copy: `read` (the file into text columns), `validate` (every rule, vectorised)
and `ingest` (the whole `ingest_file`: read, validate, map to orders + lines + customers, three
bronze appends and one quarantine append with their Delta transactions, move to `_processed/`).
Prints the median seconds and rows per second, and writes `benchmarks/results/landing-<UTC>.json`.

    .venv/bin/python benchmarks/landing.py                 # 10k, 100k, 1M rows, 3 repeats
    .venv/bin/python benchmarks/landing.py --rows 10k --repeats 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from genbench.ladder import parse_count
from genbench.report import machine_facts, write_json

from ecap_pipeline.lake.bronze import BatchInfo, replace_partitions, with_lake_columns
from ecap_pipeline.lake.contracts import BRONZE_CONTRACTS
from ecap_pipeline.landing.contracts import landing_contract
from ecap_pipeline.landing.ingest import ingest_file
from ecap_pipeline.landing.lake_io import bronze_state
from ecap_pipeline.landing.readers import read_landed_file
from ecap_pipeline.landing.validate import validate

RESULTS = Path(__file__).resolve().parent / "results"
PACKAGES = ("polars", "deltalake", "pyarrow")
NOW = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
PRODUCTS = 300


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", nargs="+", default=["10k", "100k", "1M"], help="export sizes (rows)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per size (median reported)")
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def export(rows: int, seed: int) -> pl.DataFrame:
    """An order export of `rows` rows, 1% of them broken (200 of each kind per 100k rows)."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 90 * 86_400, rows)
    frame = pl.DataFrame(
        {
            "order_id": [f"EXP-{number:09d}" for number in range(rows)],
            "customer_id": [f"SHOP-C{number:07d}" for number in rng.integers(0, max(rows // 4, 1), rows)],
            "ordered_at": pl.Series(
                (np.datetime64("2025-09-01") + seconds.astype("timedelta64[s]")).astype("datetime64[ms]")
            ).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "amount": np.round(rng.gamma(2.0, 30.0, rows) + 1, 2),
            "product_id": [f"P{number:05d}" for number in rng.integers(1, PRODUCTS + 1, rows)],
            "quantity": rng.integers(1, 4, rows),
        }
    ).with_columns(pl.all().cast(pl.String))
    broken = rng.choice(rows, size=max(rows // 100, 5), replace=False)
    kinds = [
        ("amount", "-1"),
        ("ordered_at", "01/09/2025"),
        ("customer_id", None),
        ("order_id", "EXP-000000000"),
        ("product_id", "P99999"),
    ]
    index = pl.Series(range(rows))
    for position, (column, value) in enumerate(kinds):
        chosen = pl.Series(broken[position :: len(kinds)])
        frame = frame.with_columns(
            pl.when(index.is_in(chosen.implode()))
            .then(pl.lit(value, dtype=pl.String))
            .otherwise(pl.col(column))
            .alias(column)
        )
    return frame


def prepare(folder: Path, frame: pl.DataFrame) -> None:
    """A data dir with the catalog in bronze and the export waiting in landing/orders/."""
    batch = BatchInfo(batch_id="bench", ingested_at=NOW, source="generator")
    catalog = pl.DataFrame(
        {
            "product_id": [f"P{number:05d}" for number in range(1, PRODUCTS + 1)],
            "product_name": "Product",
            "category": "Home",
            "subcategory": "Decor",
            "brand": "Brand",
            "unit_price": 20.0,
            "unit_cost": 8.0,
        },
        schema=BRONZE_CONTRACTS["products"],
    )
    day = dt.date(2025, 9, 1)
    replace_partitions(folder / "lake", "products", with_lake_columns(catalog, day, batch), [day])
    (folder / "landing" / "orders").mkdir(parents=True)
    frame.write_csv(folder / "landing" / "orders" / "export.csv")


def measure(rows: int, repeats: int, seed: int, scratch: Path) -> dict[str, Any]:
    frame = export(rows, seed)
    template = scratch / f"template-{rows}"
    prepare(template, frame)
    path = template / "landing" / "orders" / "export.csv"
    timings: dict[str, list[float]] = {"read": [], "validate": [], "ingest": []}
    quarantined = 0
    for repeat in range(repeats):
        started = time.perf_counter()
        raw = read_landed_file(path, name="orders/export.csv")
        timings["read"].append(time.perf_counter() - started)
        contract = landing_contract("orders")
        state = bronze_state(template / "lake", contract, batch_id="bench")
        started = time.perf_counter()
        validate(raw, contract, state, name="orders/export.csv", now=NOW)
        timings["validate"].append(time.perf_counter() - started)
        run = scratch / f"run-{rows}-{repeat}"
        shutil.copytree(template, run)
        started = time.perf_counter()
        report = ingest_file(run, "orders/export.csv", now=NOW)
        timings["ingest"].append(time.perf_counter() - started)
        quarantined = report.quarantined
        if not report.rows_in == report.accepted + report.quarantined == rows:
            msg = f"rows were lost: {report}"
            raise RuntimeError(msg)
        shutil.rmtree(run)
    medians = {step: statistics.median(values) for step, values in timings.items()}
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
        "quarantined": quarantined,
        "seconds": {step: round(value, 3) for step, value in medians.items()},
        "rows_per_second": {step: round(rows / value) for step, value in medians.items()},
        "all_seconds": timings,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    results = []
    with tempfile.TemporaryDirectory(prefix="ecap-landing-bench-") as scratch:
        for text in args.rows:
            result = measure(parse_count(text), args.repeats, args.seed, Path(scratch))
            results.append(result)
            seconds, rates = result["seconds"], result["rows_per_second"]
            print(
                f"{result['rows']:>10,} rows ({result['file_mb']:>7} MB, {result['quarantined']:,} quarantined): "
                + "  ".join(f"{step} {seconds[step]:.3f} s ({rates[step]:,}/s)" for step in seconds),
                flush=True,
            )
    payload = {"machine": machine_facts(PACKAGES), "repeats": args.repeats, "results": results}
    print(f"written {write_json(RESULTS, payload, started, name='landing')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
