"""Named scales and their overrides."""

from __future__ import annotations

import pytest

from ecap_pipeline.generate.scales import DEFAULT_SCALE, SCALES, get_scale


def test_the_named_scales_exist_and_grow() -> None:
    assert list(SCALES) == ["tiny", "small", "medium", "large"]
    assert DEFAULT_SCALE in SCALES
    sizes = [(scale.initial_customers, scale.products) for scale in SCALES.values()]
    assert sizes == sorted(sizes)
    tiny = get_scale("tiny")
    assert (tiny.name, tiny.initial_customers, tiny.products) == ("tiny", 1_000, 80)


def test_get_scale_rejects_an_unknown_name_listing_the_scales() -> None:
    with pytest.raises(ValueError, match="unknown scale 'nope'") as raised:
        get_scale("nope")
    for name in SCALES:
        assert name in str(raised.value)


def test_with_overrides_changes_only_the_named_knobs() -> None:
    tiny = get_scale("tiny")
    bigger = tiny.with_overrides(products=80, signups_per_day=2.5)
    assert (bigger.products, bigger.signups_per_day) == (80, 2.5)
    assert bigger.initial_customers == tiny.initial_customers
    assert tiny.products == 80, "the preset itself is unchanged"


def test_with_overrides_rejects_unknown_knobs() -> None:
    with pytest.raises(ValueError, match="unknown scale override\\(s\\): colour, flavour"):
        get_scale("tiny").with_overrides(products=10, flavour=1, colour=2)
