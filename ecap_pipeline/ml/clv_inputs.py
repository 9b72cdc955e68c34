"""Checks on the per-customer arrays the CLV models take, with errors that name the argument and rule.

The models read only summaries in the Fader-Hardie definitions: `frequency` (repeat purchases),
`recency` (time from the first to the last purchase), `T` (time from the first purchase to the end
of the observation period) and `monetary_value` (mean value of the repeat purchases). Every
function that takes them validates them here first, so a bad summary fails loudly instead of
fitting a silently wrong model.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike


def as_float_array(name: str, values: ArrayLike) -> FloatArray:
    """`values` as a non-empty one-dimensional float array with no NaN or infinity."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        msg = f"{name} must be one-dimensional, got shape {array.shape}"
        raise ValueError(msg)
    if array.size == 0:
        msg = f"{name} is empty: the model needs at least one customer"
        raise ValueError(msg)
    fail_where(name, ~np.isfinite(array), array, "must be finite (no NaN or infinity)")
    return array


def as_non_negative_scalar(name: str, value: float) -> float:
    """`value` as a finite float >= 0."""
    number = float(value)
    if not np.isfinite(number) or number < 0:
        msg = f"{name} must be a finite number >= 0, got {value!r}"
        raise ValueError(msg)
    return number


def require_same_length(**arrays: FloatArray) -> None:
    """Fail unless every array has the same length; the message lists each argument's length."""
    lengths = {name: array.size for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name}={length}" for name, length in lengths.items())
        msg = f"arrays of different lengths: {listed}; each must hold one value per customer"
        raise ValueError(msg)


def rfm_arrays(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:  # noqa: N803
    """Validated (frequency, recency, T): whole repeat counts, 0 <= recency <= T, recency 0 without repeats."""
    x = as_float_array("frequency", frequency)
    t_x = as_float_array("recency", recency)
    horizon = as_float_array("T", T)
    require_same_length(frequency=x, recency=t_x, T=horizon)
    fail_where("frequency", x < 0, x, "must be >= 0 (a count of repeat purchases)")
    fail_where("frequency", x != np.floor(x), x, "must be a whole number of repeat purchases")
    fail_where("recency", t_x < 0, t_x, "must be >= 0")
    fail_where("T", horizon < 0, horizon, "must be >= 0")
    fail_where("recency", t_x > horizon, t_x, "must be <= T (the last purchase is inside the observation period)")
    fail_where("recency", (x == 0) & (t_x > 0), t_x, "must be 0 where frequency is 0 (no repeat purchase)")
    return x, t_x, horizon


def fail_where(name: str, bad: npt.NDArray[np.bool_], values: FloatArray, rule: str) -> None:
    """Fail if any value is `bad`: the message names the argument, the rule, how many break it and the first."""
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        count = int(bad.sum())
        msg = f"{name} {rule}: {count} of {values.size} values break it (first at index {first}: {values[first]})"
        raise ValueError(msg)
