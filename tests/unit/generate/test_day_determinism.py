"""`generate_day` depends on (seed, scale, opening date, day) and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from polars.testing import assert_frame_equal

from ecap_pipeline.generate import catalog, customers, population
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import GENERATED_TABLES, generate_day

# Tables whose content changes from day to day; `products` is a snapshot of a catalog fixed per seed.
DAILY_TABLES = ("customers", "sessions", "events", "orders", "order_items", "customer_lifetimes")


def _clear_generator_caches() -> None:
    """Forget the per-config caches so the next call computes everything from scratch."""
    catalog.catalog.cache_clear()
    population._cumulative_signups.cache_clear()
    customers._name_pools.cache_clear()


@pytest.fixture
def cold_caches() -> Iterator[None]:
    _clear_generator_caches()
    yield
    _clear_generator_caches()


def test_same_config_and_day_give_identical_frames(tiny_config: ShopConfig) -> None:
    day = tiny_config.opening_date + dt.timedelta(days=3)
    first, second = generate_day(tiny_config, day), generate_day(tiny_config, day)
    assert first.keys() == second.keys() == set(GENERATED_TABLES)
    for table in GENERATED_TABLES:
        assert first[table].equals(second[table]), table


def test_a_day_generated_alone_equals_the_same_day_generated_after_others(
    tiny_config: ShopConfig, cold_caches: None
) -> None:
    day = tiny_config.opening_date + dt.timedelta(days=10)
    alone = generate_day(tiny_config, day)
    for offset in (20, 0, 11, 9, 3):
        generate_day(tiny_config, tiny_config.opening_date + dt.timedelta(days=offset))
    after_others = generate_day(tiny_config, day)
    for table in GENERATED_TABLES:
        assert_frame_equal(alone[table], after_others[table])


def test_different_days_give_different_data(tiny_config: ShopConfig) -> None:
    monday = generate_day(tiny_config, tiny_config.opening_date + dt.timedelta(days=7))
    tuesday = generate_day(tiny_config, tiny_config.opening_date + dt.timedelta(days=8))
    for table in DAILY_TABLES:
        assert not monday[table].equals(tuesday[table]), table
    # Not only the date-stamped ids differ: different customers visit and they do different things.
    assert monday["sessions"]["customer_id"].to_list() != tuesday["sessions"]["customer_id"].to_list()
    assert (
        monday["events"].select("event_type", "product_id").rows()
        != tuesday["events"].select("event_type", "product_id").rows()
    )
    assert monday["products"].equals(tuesday["products"]), "the catalog is the same every day"


def test_different_seeds_give_different_data(tiny_config: ShopConfig) -> None:
    day = tiny_config.opening_date + dt.timedelta(days=2)
    other_shop = dataclasses.replace(tiny_config, seed=tiny_config.seed + 1)
    ours, theirs = generate_day(tiny_config, day), generate_day(other_shop, day)
    for table in GENERATED_TABLES:
        if ours[table].height or theirs[table].height:  # a tiny day may have no returns at all
            assert not ours[table].equals(theirs[table]), table
    assert ours["products"]["unit_price"].to_list() != theirs["products"]["unit_price"].to_list()
    assert ours["customers"]["email"].to_list() != theirs["customers"]["email"].to_list()


def test_generating_before_the_opening_date_raises(tiny_config: ShopConfig) -> None:
    with pytest.raises(ValueError, match="before the shop opened on 2025-09-01"):
        generate_day(tiny_config, tiny_config.opening_date - dt.timedelta(days=1))


def test_with_visits_switched_off_only_the_days_new_customers_have_sessions(tiny_config: ShopConfig) -> None:
    quiet = dataclasses.replace(tiny_config, scale=tiny_config.scale.with_overrides(visit_rate_multiplier=0.0))
    tables = generate_day(quiet, tiny_config.opening_date + dt.timedelta(days=1))
    assert tables.keys() == set(GENERATED_TABLES)
    assert tables["customers"].height > 0
    assert sorted(tables["sessions"]["customer_id"]) == sorted(tables["customers"]["customer_id"])
