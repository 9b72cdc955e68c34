"""Validation of generator knobs: a bad value fails at once with a message naming the knob."""

from __future__ import annotations

import math


def check_rate(name: str, value: float, *, probability: bool = False, positive: bool = False) -> None:
    """Raise a ValueError naming `name` unless `value` is a finite rate of the required kind."""
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        rule = "must be > 0" if positive else "must be >= 0"
    elif probability and value > 1:
        rule = "must be a probability between 0 and 1"
    else:
        return
    msg = f"{name}={value!r} is invalid: {rule}"
    raise ValueError(msg)


def check_not_empty(name: str, values: tuple[object, ...]) -> None:
    """Raise a ValueError naming `name` if `values` is empty."""
    if not values:
        msg = f"{name}={values!r} is invalid: must not be empty"
        raise ValueError(msg)
