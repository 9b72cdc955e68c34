"""Named generator scales.

A scale sets the size of the shop; the shape of the behaviour (funnel, mix of devices, temporal
curves) stays the same at every scale, so a test at `tiny` exercises the same code paths as a
benchmark at `large`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ecap_pipeline.generate.checks import check_rate


@dataclass(frozen=True)
class Scale:
    """Size knobs of the synthetic shop."""

    name: str
    initial_customers: int
    """Customers migrated into the shop on its opening day."""
    signups_per_day: float
    """Expected new customers per day at opening (before growth and weekday effects)."""
    products: int
    visit_rate_multiplier: float
    """Multiplies every segment's daily visit probability."""
    annual_growth: float = 0.35
    """Yearly growth of signups and visits; the shop gets busier over time."""

    def __post_init__(self) -> None:
        for knob in ("initial_customers", "signups_per_day", "visit_rate_multiplier", "annual_growth"):
            check_rate(f"scale.{knob}", getattr(self, knob))
        check_rate("scale.products", self.products, positive=True)

    def with_overrides(self, **overrides: float | int) -> Scale:
        """A copy of this scale with some knobs changed (e.g. from the command line)."""
        unknown = set(overrides) - set(self.__dataclass_fields__) - {"name"}
        if unknown:
            msg = f"unknown scale override(s): {', '.join(sorted(unknown))}"
            raise ValueError(msg)
        return replace(self, **overrides)


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale("tiny", initial_customers=1_000, signups_per_day=25, products=80, visit_rate_multiplier=4.0),
        Scale("small", initial_customers=2_500, signups_per_day=45, products=300, visit_rate_multiplier=2.0),
        Scale("medium", initial_customers=20_000, signups_per_day=350, products=1_500, visit_rate_multiplier=2.0),
        Scale("large", initial_customers=60_000, signups_per_day=900, products=5_000, visit_rate_multiplier=2.5),
    )
}

DEFAULT_SCALE = "small"


def get_scale(name: str) -> Scale:
    """The preset called `name`, or a ValueError listing the known presets."""
    try:
        return SCALES[name]
    except KeyError:
        msg = f"unknown scale {name!r}; choose one of: {', '.join(SCALES)}"
        raise ValueError(msg) from None


def parse_overrides(text: str) -> dict[str, float]:
    """`"products=500, signups_per_day=120"` as knob values for `Scale.with_overrides`.

    Whole numbers stay ints (so `products=500` is a count); an empty text means no overrides.
    """
    overrides: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, separator, raw = (piece.strip() for piece in item.partition("="))
        try:
            if not separator or not name:
                raise ValueError
            number = float(raw)
        except ValueError:
            msg = f"scale override {item!r} is invalid: expected knob=number, e.g. products=500"
            raise ValueError(msg) from None
        overrides[name] = int(number) if number.is_integer() and "." not in raw else number
    return overrides
