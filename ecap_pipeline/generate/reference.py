"""Reference data of the synthetic shop: where customers live, what the shop sells, how people
arrive and pay. Weights are relative, not probabilities; they are normalised where used.
"""

from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    country_code: str
    region: str
    city: str
    latitude: float
    longitude: float
    weight: float


CITIES: tuple[City, ...] = (
    City("US", "California", "Los Angeles", 34.0522, -118.2437, 9.0),
    City("US", "California", "San Francisco", 37.7749, -122.4194, 5.0),
    City("US", "New York", "New York", 40.7128, -74.0060, 10.0),
    City("US", "Texas", "Houston", 29.7604, -95.3698, 5.0),
    City("US", "Illinois", "Chicago", 41.8781, -87.6298, 5.0),
    City("US", "Washington", "Seattle", 47.6062, -122.3321, 3.0),
    City("CA", "Ontario", "Toronto", 43.6532, -79.3832, 4.0),
    City("CA", "British Columbia", "Vancouver", 49.2827, -123.1207, 2.0),
    City("GB", "England", "London", 51.5074, -0.1278, 7.0),
    City("GB", "England", "Manchester", 53.4808, -2.2426, 2.5),
    City("GB", "Scotland", "Edinburgh", 55.9533, -3.1883, 1.5),
    City("DE", "Berlin", "Berlin", 52.5200, 13.4050, 4.0),
    City("DE", "Bavaria", "Munich", 48.1351, 11.5820, 3.0),
    City("DE", "Hamburg", "Hamburg", 53.5511, 9.9937, 2.0),
    City("FR", "Ile-de-France", "Paris", 48.8566, 2.3522, 5.0),
    City("FR", "Auvergne-Rhone-Alpes", "Lyon", 45.7640, 4.8357, 1.5),
    City("NL", "North Holland", "Amsterdam", 52.3676, 4.9041, 2.0),
    City("ES", "Madrid", "Madrid", 40.4168, -3.7038, 2.5),
    City("ES", "Catalonia", "Barcelona", 41.3874, 2.1686, 2.0),
    City("IT", "Lombardy", "Milan", 45.4642, 9.1900, 2.0),
    City("AU", "New South Wales", "Sydney", -33.8688, 151.2093, 2.5),
    City("AU", "Victoria", "Melbourne", -37.8136, 144.9631, 2.0),
    City("JP", "Tokyo", "Tokyo", 35.6762, 139.6503, 3.0),
    City("BR", "Sao Paulo", "Sao Paulo", -23.5505, -46.6333, 2.0),
    City("IN", "Maharashtra", "Mumbai", 19.0760, 72.8777, 2.0),
)


class Category(NamedTuple):
    name: str
    median_price: float
    price_spread: float
    """Standard deviation of log(price): how far prices stray from the median."""
    cost_ratio_low: float
    cost_ratio_high: float
    weight: float
    nouns: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category("Electronics", 180.0, 0.8, 0.65, 0.85, 1.4, ("Headphones", "Speaker", "Monitor", "Charger", "Tablet")),
    Category("Fashion", 45.0, 0.6, 0.30, 0.55, 1.6, ("Jacket", "Sneakers", "Dress", "Jeans", "Scarf")),
    Category("Home & Kitchen", 40.0, 0.7, 0.40, 0.60, 1.2, ("Cookware Set", "Lamp", "Blender", "Towel Set", "Vase")),
    Category("Beauty", 25.0, 0.5, 0.25, 0.45, 1.0, ("Serum", "Lipstick", "Shampoo", "Perfume", "Face Cream")),
    Category(
        "Sports & Outdoors",
        60.0,
        0.7,
        0.45,
        0.65,
        0.8,
        ("Yoga Mat", "Tent", "Running Shoes", "Dumbbells", "Bike Helmet"),
    ),
    Category("Books", 18.0, 0.4, 0.50, 0.70, 0.7, ("Novel", "Cookbook", "Biography", "Guide", "Comic")),
    Category(
        "Toys & Games", 30.0, 0.6, 0.40, 0.60, 0.6, ("Board Game", "Puzzle", "Action Figure", "Building Set", "Plush")
    ),
    Category(
        "Grocery", 12.0, 0.5, 0.55, 0.75, 0.9, ("Coffee Beans", "Olive Oil", "Tea Set", "Chocolate Box", "Spice Kit")
    ),
    Category(
        "Health", 28.0, 0.5, 0.35, 0.55, 0.6, ("Vitamins", "Protein Powder", "Thermometer", "First Aid Kit", "Massager")
    ),
)

PRODUCT_ADJECTIVES: tuple[str, ...] = (
    "Classic",
    "Essential",
    "Premium",
    "Eco",
    "Compact",
    "Pro",
    "Everyday",
    "Deluxe",
    "Smart",
    "Vintage",
)

ACQUISITION_CHANNELS: dict[str, float] = {
    "organic_search": 0.30,
    "paid_search": 0.20,
    "social": 0.15,
    "email": 0.10,
    "affiliate": 0.07,
    "direct": 0.13,
    "referral": 0.05,
}

SEGMENTS: dict[str, float] = {"new": 0.45, "returning": 0.30, "loyal": 0.18, "power": 0.07}

SEGMENT_VISIT_PROBABILITY: dict[str, float] = {"new": 0.010, "returning": 0.030, "loyal": 0.070, "power": 0.160}
"""Daily probability that a customer of the segment visits, before scale and calendar effects."""

SEGMENT_PURCHASE_PROPENSITY: dict[str, float] = {"new": 0.7, "returning": 1.0, "loyal": 1.3, "power": 1.6}
"""Multiplies the add-to-cart and checkout probabilities of the funnel."""

DEVICES: dict[str, float] = {"mobile": 0.56, "desktop": 0.37, "tablet": 0.07}

PAYMENT_METHODS: dict[str, float] = {
    "credit_card": 0.42,
    "debit_card": 0.18,
    "paypal": 0.20,
    "apple_pay": 0.09,
    "google_pay": 0.06,
    "bank_transfer": 0.03,
    "gift_card": 0.02,
}

HOUR_OF_DAY_WEIGHTS: tuple[float, ...] = (
    0.8,
    0.5,
    0.3,
    0.2,
    0.2,
    0.3,
    0.8,
    1.6,
    2.4,
    2.9,
    3.2,
    3.4,
    3.6,
    3.5,
    3.3,
    3.3,
    3.5,
    3.9,
    4.4,
    4.9,
    5.1,
    4.6,
    3.4,
    1.9,
)
"""Relative share of activity starting in each UTC hour: a quiet night and an evening peak."""

WEEKDAY_FACTORS: tuple[float, ...] = (1.0, 0.97, 0.97, 1.0, 1.05, 1.18, 1.15)
"""Activity multiplier Monday..Sunday: the weekend uplift."""

CURRENCY = "USD"
