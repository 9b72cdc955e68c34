"""Latent lifetimes and customer profiles: who is alive, and that nobody acts after dropping out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import (
    alive_customer_numbers,
    customer_card_ids,
    customer_device_ids,
    customer_profiles,
    customers_signed_up_by,
)


def _numbers(customer_ids: pl.Series) -> np.ndarray:
    return customer_ids.str.strip_prefix("C").cast(pl.Int64).to_numpy()


def test_nobody_visits_or_orders_after_their_dropout(history: dict[str, pl.DataFrame]) -> None:
    lifetimes = history["customer_lifetimes"].select("customer_id", "dropout_at")
    for table, instant in (("sessions", "started_at"), ("events", "event_at"), ("orders", "ordered_at")):
        joined = history[table].join(lifetimes, on="customer_id", how="left")
        assert joined["dropout_at"].null_count() == 0, f"every {table} customer signed up within the range"
        late = joined.filter(pl.col(instant) >= pl.col("dropout_at"))
        assert late.is_empty(), (table, late.head(3))
    last_day = history["sessions"]["day"].max()
    dropped = lifetimes.filter(pl.col("dropout_at").dt.date() <= last_day)
    assert dropped.height >= 50, "the check above is not vacuous: many customers drop out within the range"
    assert dropped["customer_id"].is_in(history["sessions"]["customer_id"].implode()).sum() > 0


def test_power_customers_outlive_new_ones(history: dict[str, pl.DataFrame]) -> None:
    lifetimes = history["customer_lifetimes"].with_columns(
        days=(pl.col("dropout_at") - pl.col("signup_at")).dt.total_days()
    )
    mean_days = dict(lifetimes.group_by("segment").agg(pl.col("days").mean()).iter_rows())
    assert mean_days["power"] > 3 * mean_days["new"]
    assert (lifetimes["dropout_at"] > lifetimes["signup_at"]).all()


def test_lifetimes_land_with_the_customers_who_sign_up_that_day(history: dict[str, pl.DataFrame]) -> None:
    customers = history["customers"].select("customer_id", "segment", "signup_at", "day")
    assert history["customer_lifetimes"].select(customers.columns).equals(customers)


def test_alive_customers_signed_up_earlier_and_drop_out_later(
    tiny_config: ShopConfig, history: dict[str, pl.DataFrame]
) -> None:
    day = tiny_config.opening_date + dt.timedelta(days=40)
    alive = alive_customer_numbers(tiny_config, day)
    existing = np.arange(1, customers_signed_up_by(tiny_config, day - dt.timedelta(days=1)) + 1)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    dropout = customer_profiles(tiny_config, existing)["dropout_at"]
    assert alive.tolist() == existing[(dropout > midnight).to_numpy()].tolist()
    assert 0 < len(alive) < len(existing)
    visitors = history["sessions"].filter(pl.col("day") == day)["customer_id"]
    signups = history["customers"].filter(pl.col("day") == day)["customer_id"]
    assert set(_numbers(visitors)) <= set(alive.tolist()) | set(_numbers(signups).tolist())


def test_profiles_agree_with_the_customer_records(tiny_config: ShopConfig, history: dict[str, pl.DataFrame]) -> None:
    customers = history["customers"]
    profiles = customer_profiles(tiny_config, _numbers(customers["customer_id"]))
    assert profiles.columns == [
        *("customer_id", "segment", "country_code", "city", "latitude", "longitude"),
        *("device_id", "card_id", "dropout_at"),
    ]
    columns = ["customer_id", "segment", "country_code", "city", "latitude", "longitude"]
    assert profiles.select(columns).equals(customers.select(columns))
    assert profiles["dropout_at"].equals(history["customer_lifetimes"]["dropout_at"])
    assert profiles["device_id"].n_unique() == profiles.height
    assert profiles["card_id"].n_unique() == profiles.height


def test_device_and_card_ids_are_fixed_per_customer(tiny_config: ShopConfig) -> None:
    numbers = np.array([5, 1, 5, 300], dtype=np.int64)
    devices, cards = customer_device_ids(tiny_config, numbers), customer_card_ids(tiny_config, numbers)
    assert devices[0] == devices[2] != devices[1]
    assert cards[0] == cards[2] != cards[1]
    assert devices[3] == customer_device_ids(tiny_config, np.array([300]))[0]
    assert all(device.startswith("D") and len(device) == 13 for device in devices)
