"""The product catalog: a category tree, brands, prices, unit costs and popularity.

The catalog depends on the seed and scale only, so every day sees the same products; a day's
bronze `products` partition is the snapshot of this catalog on that day.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl
from faker import Faker

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.randomness import Stream, static_rng
from ecap_pipeline.generate.reference import CATEGORIES, PRODUCT_ADJECTIVES

_BRANDS_PER_CATEGORY = 6
_POPULARITY_EXPONENT = 1.1


@lru_cache(maxsize=16)
def catalog(config: ShopConfig) -> pl.DataFrame:
    """Every product with its category, brand, price, unit cost and popularity weight."""
    rng = static_rng(config.seed, Stream.CATALOG)
    size = config.scale.products
    category_weights = np.array([category.weight for category in CATEGORIES])
    category_index = rng.choice(len(CATEGORIES), size=size, p=category_weights / category_weights.sum())
    median = np.array([category.median_price for category in CATEGORIES])[category_index]
    spread = np.array([category.price_spread for category in CATEGORIES])[category_index]
    price = np.maximum(np.round(median * np.exp(rng.normal(0.0, spread)), 0) - 0.01, 0.99)
    low = np.array([category.cost_ratio_low for category in CATEGORIES])[category_index]
    high = np.array([category.cost_ratio_high for category in CATEGORIES])[category_index]
    cost = np.round(price * rng.uniform(low, high), 2)
    brands = _brand_pool(config.seed)
    brand = brands[category_index * _BRANDS_PER_CATEGORY + rng.integers(_BRANDS_PER_CATEGORY, size=size)]
    noun_index = rng.integers(5, size=size)
    nouns = np.array([category.nouns for category in CATEGORIES])[category_index, noun_index]
    adjectives = np.array(PRODUCT_ADJECTIVES)[rng.integers(len(PRODUCT_ADJECTIVES), size=size)]
    popularity = 1.0 / np.power(rng.permutation(size) + 1.0, _POPULARITY_EXPONENT)
    return pl.DataFrame(
        {
            "product_id": ("P" + pl.Series(np.arange(1, size + 1)).cast(pl.String).str.zfill(5)),
            "brand": brand,
            "adjective": adjectives,
            "noun": nouns,
            "category": np.array([category.name for category in CATEGORIES])[category_index],
            "unit_price": price,
            "unit_cost": cost,
            "popularity": popularity / popularity.sum(),
        }
    ).select(
        "product_id",
        pl.concat_str("brand", "adjective", "noun", separator=" ").alias("product_name"),
        "category",
        "brand",
        "unit_price",
        "unit_cost",
        "popularity",
    )


def _brand_pool(seed: int) -> npt.NDArray[np.str_]:
    """A small pool of brand names per category, made once per seed."""
    faker = Faker("en_US")
    faker.seed_instance(int(static_rng(seed, Stream.NAMES).integers(2**31)) + 1)
    words = [faker.unique.last_name() for _ in range(len(CATEGORIES) * _BRANDS_PER_CATEGORY)]
    return np.array(words)
