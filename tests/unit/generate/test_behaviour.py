"""Bad knobs fail at once, with a message naming the knob."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from collections.abc import Callable

import pytest

from ecap_pipeline.generate.behaviour import Behaviour, FunnelRates
from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.reference import SEGMENTS
from ecap_pipeline.generate.scales import get_scale
from ecap_pipeline.generate.taxonomy import CATEGORIES


def test_the_default_behaviour_is_valid_and_part_of_the_shop_config() -> None:
    config = ShopConfig(seed=1, scale=get_scale("tiny"), opening_date=dt.date(2025, 9, 1))
    assert config.behaviour == Behaviour()
    assert hash(config) == hash(dataclasses.replace(config)), "configs key caches, so they must hash"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Behaviour(weekend_uplift=-0.2), "weekend_uplift=-0.2 is invalid: must be >= 0"),
        (lambda: Behaviour(black_friday_uplift=float("nan")), "black_friday_uplift=nan is invalid"),
        (lambda: Behaviour(discount_share=1.5), "discount_share=1.5 is invalid: must be a probability"),
        (lambda: Behaviour(discount_percentages=()), "discount_percentages=() is invalid: must not be empty"),
        (lambda: Behaviour(return_window_days=0), "return_window_days=0 is invalid: must be > 0"),
        (lambda: FunnelRates(purchase=1.2), "funnel.purchase=1.2 is invalid: must be a probability"),
        (lambda: FunnelRates(product_views=-1.0), "funnel.product_views=-1.0 is invalid: must be >= 0"),
        (lambda: Behaviour(categories=()), "categories=() is invalid: must not be empty"),
        (
            lambda: Behaviour(categories=(CATEGORIES[0]._replace(return_rate=2.0),)),
            "categories[Electronics].return_rate=2.0 is invalid",
        ),
        (
            lambda: Behaviour(categories=(CATEGORIES[0]._replace(subcategories=()),)),
            "categories[Electronics].subcategories=() is invalid: must not be empty",
        ),
        (lambda: Behaviour(segments=()), "segments=() is invalid: must not be empty"),
        (
            lambda: Behaviour(segments=(SEGMENTS[0]._replace(visit_probability=3.0),)),
            "segments[new].visit_probability=3.0 is invalid: must be a probability",
        ),
        (
            lambda: Behaviour(segments=(SEGMENTS[0]._replace(mean_lifetime_days=0.0),)),
            "segments[new].mean_lifetime_days=0.0 is invalid: must be > 0",
        ),
        (lambda: get_scale("tiny").with_overrides(visit_rate_multiplier=-1.0), "scale.visit_rate_multiplier=-1.0"),
        (lambda: get_scale("tiny").with_overrides(products=0), "scale.products=0 is invalid: must be > 0"),
        (lambda: get_scale("huge"), "unknown scale 'huge'"),
    ],
)
def test_a_bad_knob_raises_naming_it(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_a_shop_config_survives_pickling_for_process_pools(tiny_config: ShopConfig) -> None:
    restored = pickle.loads(pickle.dumps(tiny_config))
    assert restored == tiny_config
    assert hash(restored) == hash(tiny_config)
