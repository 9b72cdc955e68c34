"""Every key points at something generated, across the whole range, and content is reproducible."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day


def _digest(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def test_every_order_belongs_to_a_customer_who_signed_up_by_then(history: dict[str, pl.DataFrame]) -> None:
    customers = history["customers"].select("customer_id", pl.col("day").alias("signup_day"))
    orders = history["orders"].join(customers, on="customer_id", how="left")
    assert orders["signup_day"].null_count() == 0
    assert (orders["signup_day"] <= orders["day"]).all()


def test_every_line_has_its_order_and_product_and_every_return_its_line(history: dict[str, pl.DataFrame]) -> None:
    items, orders, returns = history["order_items"], history["orders"], history["returns"]
    assert items.join(orders, on=["order_id", "day"], how="anti").is_empty(), "lines land with their order"
    products = history["products"].select("product_id").unique()
    assert items.join(products, on="product_id", how="anti").is_empty()
    lines = items.select("order_id", "line_number", "product_id", "day", sold=pl.col("quantity"))
    matched = returns.join(lines, on=["order_id", "line_number", "product_id", "day"], how="left")
    assert returns.height > 0
    assert matched["sold"].null_count() == 0, "every return is of a line sold, in that line's partition"
    assert (matched["quantity"] <= matched["sold"]).all()
    returned_after = matched.join(orders.select("order_id", "ordered_at"), on="order_id")
    assert (returned_after["returned_at"] > returned_after["ordered_at"]).all()


def test_every_event_and_order_names_a_session_of_its_day(history: dict[str, pl.DataFrame]) -> None:
    sessions = history["sessions"].select("session_id", "customer_id", "day")
    for table in ("events", "orders"):
        assert history[table].join(sessions, on=["session_id", "customer_id", "day"], how="anti").is_empty(), table


def test_content_is_identical_whatever_order_the_days_are_generated_in(
    tiny_config: ShopConfig, many_days: dict[dt.date, dict[str, pl.DataFrame]]
) -> None:
    """`many_days` generated days in calendar order; here the same days come back in reverse."""
    days = sorted(many_days)[::-7]
    for day in days:
        again = generate_day(tiny_config, day)
        for table, frame in again.items():
            assert _digest(frame) == _digest(many_days[day][table]), (day, table)


def _digests_of_day(config: ShopConfig, day: dt.date) -> dict[str, str]:
    return {table: _digest(frame) for table, frame in generate_day(config, day).items()}


def test_a_parallel_backfill_in_worker_processes_gives_the_sequential_content(
    tiny_config: ShopConfig, many_days: dict[dt.date, dict[str, pl.DataFrame]]
) -> None:
    """Fresh processes share no caches or generator state with this one: only the seed and day count."""
    days = sorted(many_days)[::10]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        parallel = dict(zip(days, pool.map(_digests_of_day, [tiny_config] * len(days), days), strict=True))
    for day in days:
        assert parallel[day] == {table: _digest(frame) for table, frame in many_days[day].items()}, day
