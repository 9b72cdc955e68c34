"""What the shop sells: the category tree with its price levels, margins and return rates.

Each top category has subcategories, and each subcategory a few product nouns; a product's name,
subcategory and category all come from one pick, so names never contradict the tree.
"""

from __future__ import annotations

from typing import NamedTuple


class Subcategory(NamedTuple):
    name: str
    nouns: tuple[str, ...]


class Category(NamedTuple):
    name: str
    median_price: float
    price_spread: float
    """Standard deviation of log(price): how far prices stray from the median."""
    cost_ratio_low: float
    cost_ratio_high: float
    weight: float
    """Relative share of the catalog."""
    return_rate: float
    """Probability that an order line of this category comes back."""
    subcategories: tuple[Subcategory, ...]


def _sub(name: str, *nouns: str) -> Subcategory:
    return Subcategory(name, nouns)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "Electronics",
        *(180.0, 0.8, 0.65, 0.85, 1.4, 0.08),
        (
            _sub("Audio", "Headphones", "Speaker", "Earbuds"),
            _sub("Computers", "Monitor", "Keyboard", "Laptop Stand"),
            _sub("Phones & Tablets", "Tablet", "Charger", "Phone Case"),
        ),
    ),
    Category(
        "Fashion",
        *(45.0, 0.6, 0.30, 0.55, 1.6, 0.22),
        (
            _sub("Outerwear", "Jacket", "Raincoat", "Parka"),
            _sub("Footwear", "Sneakers", "Boots", "Sandals"),
            _sub("Clothing", "Dress", "Jeans", "Shirt"),
            _sub("Accessories", "Scarf", "Belt", "Cap"),
        ),
    ),
    Category(
        "Home & Kitchen",
        *(40.0, 0.7, 0.40, 0.60, 1.2, 0.07),
        (
            _sub("Cookware", "Cookware Set", "Frying Pan", "Knife Block"),
            _sub("Appliances", "Blender", "Kettle", "Toaster"),
            _sub("Decor", "Lamp", "Vase", "Towel Set"),
        ),
    ),
    Category(
        "Beauty",
        *(25.0, 0.5, 0.25, 0.45, 1.0, 0.04),
        (
            _sub("Skincare", "Serum", "Face Cream", "Cleanser"),
            _sub("Makeup", "Lipstick", "Mascara", "Foundation"),
            _sub("Hair & Fragrance", "Shampoo", "Perfume", "Hair Oil"),
        ),
    ),
    Category(
        "Sports & Outdoors",
        *(60.0, 0.7, 0.45, 0.65, 0.8, 0.09),
        (
            _sub("Fitness", "Yoga Mat", "Dumbbells", "Resistance Band"),
            _sub("Camping", "Tent", "Sleeping Bag", "Headlamp"),
            _sub("Cycling & Running", "Running Shoes", "Bike Helmet", "Water Bottle"),
        ),
    ),
    Category(
        "Books",
        *(18.0, 0.4, 0.50, 0.70, 0.7, 0.02),
        (
            _sub("Fiction", "Novel", "Short Stories", "Comic"),
            _sub("Non-fiction", "Biography", "History", "Guide"),
            _sub("Food & Drink", "Cookbook", "Wine Atlas", "Baking Book"),
        ),
    ),
    Category(
        "Toys & Games",
        *(30.0, 0.6, 0.40, 0.60, 0.6, 0.05),
        (
            _sub("Games", "Board Game", "Puzzle", "Card Game"),
            _sub("Toys", "Action Figure", "Building Set", "Plush"),
        ),
    ),
    Category(
        "Grocery",
        *(12.0, 0.5, 0.55, 0.75, 0.9, 0.01),
        (
            _sub("Pantry", "Olive Oil", "Spice Kit", "Pasta Set"),
            _sub("Beverages", "Coffee Beans", "Tea Set", "Cocoa"),
            _sub("Snacks", "Chocolate Box", "Nut Mix", "Cookies"),
        ),
    ),
    Category(
        "Health",
        *(28.0, 0.5, 0.35, 0.55, 0.6, 0.03),
        (
            _sub("Supplements", "Vitamins", "Protein Powder", "Omega-3"),
            _sub("Medical Supplies", "Thermometer", "First Aid Kit", "Blood Pressure Monitor"),
            _sub("Wellness", "Massager", "Heating Pad", "Foam Roller"),
        ),
    ),
)
