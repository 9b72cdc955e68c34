"""The product catalog: a category tree (category > subcategory), brands, prices, unit costs,
return rates and popularity.

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
from ecap_pipeline.generate.reference import PRODUCT_ADJECTIVES
from ecap_pipeline.generate.taxonomy import Category

_BRANDS_PER_CATEGORY = 6
_POPULARITY_EXPONENT = 1.1


@lru_cache(maxsize=16)
def catalog(config: ShopConfig) -> pl.DataFrame:
    """Every product with its category, subcategory, brand, price, unit cost, return rate and popularity."""
    categories = config.behaviour.categories
    rng = static_rng(config.seed, Stream.CATALOG)
    size = config.scale.products
    category_weights = np.array([category.weight for category in categories])
    category_index = rng.choice(len(categories), size=size, p=category_weights / category_weights.sum())

    def per_category(attribute: str) -> npt.NDArray[np.generic]:
        return np.array([getattr(category, attribute) for category in categories])[category_index]

    price = np.maximum(
        np.round(per_category("median_price") * np.exp(rng.normal(0.0, per_category("price_spread"))), 0) - 0.01, 0.99
    )
    cost = np.round(price * rng.uniform(per_category("cost_ratio_low"), per_category("cost_ratio_high")), 2)
    brands = _brand_pool(config.seed, len(categories))
    brand = brands[category_index * _BRANDS_PER_CATEGORY + rng.integers(_BRANDS_PER_CATEGORY, size=size)]
    subcategories = [(category, sub) for category in categories for sub in category.subcategories]
    first_subcategory = np.cumsum([0] + [len(category.subcategories) for category in categories])[category_index]
    subcategory_count = np.array([len(category.subcategories) for category in categories])[category_index]
    subcategory_index = first_subcategory + np.floor(rng.random(size) * subcategory_count).astype(np.int64)
    noun_counts = np.array([len(sub.nouns) for _, sub in subcategories])[subcategory_index]
    noun_index = np.floor(rng.random(size) * noun_counts).astype(np.int64)
    nouns_table = np.array(
        [[*sub.nouns, *[""] * (_max_nouns(categories) - len(sub.nouns))] for _, sub in subcategories]
    )
    adjectives = np.array(PRODUCT_ADJECTIVES)[rng.integers(len(PRODUCT_ADJECTIVES), size=size)]
    popularity = 1.0 / np.power(rng.permutation(size) + 1.0, _POPULARITY_EXPONENT)
    return pl.DataFrame(
        {
            "product_id": ("P" + pl.Series(np.arange(1, size + 1)).cast(pl.String).str.zfill(5)),
            "brand": brand,
            "adjective": adjectives,
            "noun": nouns_table[subcategory_index, noun_index],
            "category": per_category("name"),
            "subcategory": np.array([sub.name for _, sub in subcategories])[subcategory_index],
            "unit_price": price,
            "unit_cost": cost,
            "return_rate": per_category("return_rate").astype(np.float64),
            "popularity": popularity / popularity.sum(),
        }
    ).select(
        "product_id",
        pl.concat_str("brand", "adjective", "noun", separator=" ").alias("product_name"),
        "category",
        "subcategory",
        "brand",
        "unit_price",
        "unit_cost",
        "return_rate",
        "popularity",
    )


def _max_nouns(categories: tuple[Category, ...]) -> int:
    return max(len(sub.nouns) for category in categories for sub in category.subcategories)


def _brand_pool(seed: int, categories: int) -> npt.NDArray[np.str_]:
    """A small pool of brand names per category, made once per catalog."""
    faker = Faker("en_US")
    faker.seed_instance(int(static_rng(seed, Stream.NAMES).integers(2**31)) + 1)
    words = [faker.unique.last_name() for _ in range(categories * _BRANDS_PER_CATEGORY)]
    return np.array(words)
