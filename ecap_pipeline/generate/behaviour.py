"""How the shop's customers behave: the knobs of the calendar, the funnel, discounts and returns.

Scales set how big the shop is; `Behaviour` sets what its customers do, identically at every
scale. Both are frozen and hashable because they are part of a `ShopConfig`, which keys caches.
Every knob is checked on construction so a bad value fails at once, naming the knob, instead of
producing silently absurd data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ecap_pipeline.generate.checks import check_not_empty, check_rate
from ecap_pipeline.generate.reference import SEGMENTS, Segment
from ecap_pipeline.generate.taxonomy import CATEGORIES, Category


@dataclass(frozen=True)
class FunnelRates:
    """Probabilities (per session, per product view or per cart line) and means that shape a session."""

    login: float = 0.45
    extra_page_views: float = 1.5
    search: float = 0.35
    product_views: float = 2.4
    add_to_cart_per_view: float = 0.045
    add_to_wishlist_per_view: float = 0.03
    remove_from_cart: float = 0.15
    view_cart: float = 0.75
    begin_checkout: float = 0.30
    add_shipping_info: float = 0.85
    add_payment_info: float = 0.90
    purchase: float = 0.80
    write_review: float = 0.03
    extra_quantity: float = 0.25
    mean_seconds_between_events: float = 45.0

    def __post_init__(self) -> None:
        means = {"extra_page_views", "product_views", "extra_quantity"}
        for rate in fields(self):
            value = getattr(self, rate.name)
            positive = rate.name == "mean_seconds_between_events"
            check_rate(
                f"funnel.{rate.name}", value, probability=rate.name not in means and not positive, positive=positive
            )


@dataclass(frozen=True)
class Behaviour:
    """Calendar effects, segments, catalog tree, funnel, discounts and returns of the shop."""

    weekend_uplift: float = 0.25
    """Saturday and Sunday traffic is (1 + weekend_uplift) times an ordinary weekday's."""
    black_friday_uplift: float = 1.5
    """Extra visits on Black Friday (the day after the 4th Thursday of November): 1.5 = 2.5x."""
    cyber_monday_uplift: float = 1.0
    """Extra visits on Cyber Monday, the Monday after Black Friday."""
    christmas_uplift: float = 0.6
    """Extra visits on December 23; the Christmas season ramps up linearly from December 1."""
    holiday_purchase_uplift: float = 0.4
    """Extra purchase propensity and basket size on Black Friday and Cyber Monday (half in the Christmas season)."""
    keep_acquisition_channel: float = 0.5
    """Probability that a visit comes through the channel that first brought the customer."""
    discount_share: float = 0.2
    """Probability that an order carries a discount on every line."""
    discount_percentages: tuple[float, ...] = (0.05, 0.10, 0.15, 0.20)
    return_window_days: int = 30
    """Returns arrive between 1 and this many days after the order."""
    segments: tuple[Segment, ...] = SEGMENTS
    categories: tuple[Category, ...] = CATEGORIES
    funnel: FunnelRates = field(default_factory=FunnelRates)

    def __post_init__(self) -> None:
        for name in ("weekend_uplift", "black_friday_uplift", "cyber_monday_uplift", "christmas_uplift"):
            check_rate(name, getattr(self, name))
        check_rate("holiday_purchase_uplift", self.holiday_purchase_uplift)
        check_rate("keep_acquisition_channel", self.keep_acquisition_channel, probability=True)
        check_rate("discount_share", self.discount_share, probability=True)
        check_not_empty("discount_percentages", self.discount_percentages)
        for percentage in self.discount_percentages:
            check_rate("discount_percentages", percentage, probability=True)
        check_rate("return_window_days", self.return_window_days, positive=True)
        self._check_segments()
        self._check_categories()

    def _check_segments(self) -> None:
        check_not_empty("segments", self.segments)
        for segment in self.segments:
            prefix = f"segments[{segment.name}]"
            check_rate(f"{prefix}.share", segment.share)
            check_rate(f"{prefix}.visit_probability", segment.visit_probability, probability=True)
            check_rate(f"{prefix}.purchase_propensity", segment.purchase_propensity)
            check_rate(f"{prefix}.basket_factor", segment.basket_factor)
            check_rate(f"{prefix}.mean_lifetime_days", segment.mean_lifetime_days, positive=True)
        check_rate("segments.share (total)", sum(segment.share for segment in self.segments), positive=True)

    def _check_categories(self) -> None:
        check_not_empty("categories", self.categories)
        for category in self.categories:
            prefix = f"categories[{category.name}]"
            check_rate(f"{prefix}.median_price", category.median_price, positive=True)
            check_rate(f"{prefix}.price_spread", category.price_spread)
            check_rate(f"{prefix}.cost_ratio_low", category.cost_ratio_low, probability=True)
            check_rate(f"{prefix}.cost_ratio_high", category.cost_ratio_high, probability=True)
            check_rate(f"{prefix}.weight", category.weight)
            check_rate(f"{prefix}.return_rate", category.return_rate, probability=True)
            check_not_empty(f"{prefix}.subcategories", category.subcategories)
            for subcategory in category.subcategories:
                check_not_empty(f"{prefix}.subcategories[{subcategory.name}].nouns", subcategory.nouns)
        check_rate("categories.weight (total)", sum(category.weight for category in self.categories), positive=True)
