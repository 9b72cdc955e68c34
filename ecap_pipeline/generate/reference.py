"""Reference data of the synthetic shop: where customers live, who they are, how people arrive,
browse, pay and return things. Weights are relative, not probabilities; they are normalised where used.
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


class Segment(NamedTuple):
    name: str
    share: float
    """Relative share of new signups that fall in this segment."""
    visit_probability: float
    """Daily probability that a customer of the segment visits, before scale and calendar effects."""
    purchase_propensity: float
    """Multiplies the add-to-cart and checkout probabilities of the funnel."""
    basket_factor: float
    """Multiplies how many products a session views and how many units go into the cart."""
    mean_lifetime_days: float
    """Mean of the exponential latent lifetime: after it the customer never comes back."""


SEGMENTS: tuple[Segment, ...] = (
    Segment("new", 0.45, 0.010, 0.7, 0.8, 60.0),
    Segment("returning", 0.30, 0.030, 1.0, 1.0, 240.0),
    Segment("loyal", 0.18, 0.070, 1.3, 1.3, 540.0),
    Segment("power", 0.07, 0.160, 1.6, 1.8, 1100.0),
)

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

BROWSERS: tuple[str, ...] = ("chrome", "safari", "firefox", "edge", "samsung_internet", "app")

BROWSER_WEIGHTS_BY_DEVICE: dict[str, tuple[float, ...]] = {
    "mobile": (0.38, 0.27, 0.02, 0.01, 0.07, 0.25),
    "desktop": (0.62, 0.14, 0.09, 0.15, 0.0, 0.0),
    "tablet": (0.30, 0.45, 0.03, 0.02, 0.05, 0.15),
}
"""Browser mix of each device (same order as BROWSERS); "app" is the shop's own mobile app."""

REFERRERS_BY_CHANNEL: dict[str, dict[str | None, float]] = {
    "organic_search": {"google.com": 0.86, "bing.com": 0.09, "duckduckgo.com": 0.05},
    "paid_search": {"google.com": 0.82, "bing.com": 0.18},
    "social": {"facebook.com": 0.40, "instagram.com": 0.35, "tiktok.com": 0.15, "pinterest.com": 0.10},
    "email": {"mail.google.com": 0.55, "outlook.live.com": 0.30, "mail.yahoo.com": 0.15},
    "affiliate": {"rakuten.com": 0.40, "slickdeals.net": 0.35, "retailmenot.com": 0.25},
    "direct": {None: 1.0},
    "referral": {"reddit.com": 0.45, "youtube.com": 0.35, "medium.com": 0.20},
}
"""Referring host of a session by its channel; direct visits have none."""

CARD_PAYMENT_METHODS: frozenset[str] = frozenset({"credit_card", "debit_card", "paypal", "apple_pay", "google_pay"})
"""Methods charged to the customer's usual card (wallets wrap it), so orders share its card_id."""

RETURN_REASONS: dict[str, float] = {
    "wrong_size": 0.28,
    "changed_mind": 0.22,
    "not_as_described": 0.18,
    "damaged": 0.12,
    "defective": 0.12,
    "arrived_late": 0.08,
}

CURRENCY = "USD"
