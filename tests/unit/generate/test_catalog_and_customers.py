"""The catalog and the customer population of the tiny shop."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.generate.catalog import catalog
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.customers import (
    customer_ids,
    customer_numbers_signed_up_on,
    customers_for_day,
    customers_signed_up_by,
)
from ecap_pipeline.generate.taxonomy import CATEGORIES


def test_catalog_holds_the_scales_products_with_sane_prices(tiny_config: ShopConfig) -> None:
    products = catalog(tiny_config)
    assert products["product_id"].to_list() == [f"P{number:05d}" for number in range(1, 81)]
    assert products["product_name"].n_unique() > 1
    assert (products["unit_price"] >= 0.99).all()
    cents = (products["unit_price"] * 100).round(0).cast(int) % 100
    assert (cents == 99).all(), "prices end in .99"
    assert (products["unit_cost"] > 0).all()
    assert (products["unit_cost"] < products["unit_price"]).all()
    assert products["popularity"].sum() == pytest.approx(1.0)
    assert (products["popularity"] > 0).all()


def test_customer_ids_are_zero_padded_numbers() -> None:
    assert customer_ids(np.array([1, 42, 1234567])).to_list() == ["C0000001", "C0000042", "C1234567"]


def test_signups_accumulate_from_the_opening_day(tiny_config: ShopConfig) -> None:
    opening = tiny_config.opening_date
    assert customers_signed_up_by(tiny_config, opening - dt.timedelta(days=1)) == 0
    assert customers_signed_up_by(tiny_config, opening) >= tiny_config.scale.initial_customers
    totals = [customers_signed_up_by(tiny_config, opening + dt.timedelta(days=offset)) for offset in range(60)]
    assert totals == sorted(totals)
    assert totals[-1] > totals[0]


def test_each_customer_signs_up_on_exactly_one_day(tiny_config: ShopConfig) -> None:
    days = [tiny_config.opening_date + dt.timedelta(days=offset) for offset in range(20)]
    numbers = np.concatenate([customer_numbers_signed_up_on(tiny_config, day) for day in days])
    assert numbers.tolist() == list(range(1, customers_signed_up_by(tiny_config, days[-1]) + 1))


def test_customers_do_not_depend_on_the_days_before_only_on_the_shop(tiny_config: ShopConfig) -> None:
    day = tiny_config.opening_date + dt.timedelta(days=4)
    later_opening = dataclasses.replace(tiny_config, opening_date=tiny_config.opening_date + dt.timedelta(days=1))
    assert customers_for_day(tiny_config, day).equals(customers_for_day(tiny_config, day))
    assert not customers_for_day(tiny_config, day).equals(customers_for_day(later_opening, day))


def test_customer_emails_are_unique_and_well_formed(tiny_config: ShopConfig) -> None:
    emails = customers_for_day(tiny_config, tiny_config.opening_date)["email"]
    assert emails.n_unique() == emails.len()
    assert emails.str.contains(r"^[a-z]+\.[a-z]+\d+@[a-z.]+$").all()


def test_every_product_sits_in_a_subcategory_of_its_own_category(tiny_config: ShopConfig) -> None:
    products = catalog(tiny_config)
    tree = {(category.name, sub.name) for category in CATEGORIES for sub in category.subcategories}
    assert set(products.select("category", "subcategory").iter_rows()) <= tree
    nouns = {(sub.name, noun) for category in CATEGORIES for sub in category.subcategories for noun in sub.nouns}
    named = products.select("subcategory", pl.col("product_name").str.split(" ").list.slice(2).list.join(" "))
    assert set(named.iter_rows()) <= nouns, "a product's name uses a noun of its subcategory"
    assert 7 <= len(CATEGORIES) <= 12
    assert all(len(category.subcategories) >= 2 for category in CATEGORIES)


def test_customer_ids_keep_every_digit_past_seven() -> None:
    assert customer_ids(np.array([12_345_678])).to_list() == ["C12345678"]
