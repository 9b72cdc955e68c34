"""When things happen within a day: the hour-of-day curve."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ecap_pipeline.generate.reference import HOUR_OF_DAY_WEIGHTS

_HOUR_CDF = np.concatenate([[0.0], np.cumsum(HOUR_OF_DAY_WEIGHTS) / sum(HOUR_OF_DAY_WEIGHTS)])


def seconds_into_day(uniform: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Map uniform [0, 1) draws to seconds after midnight following the hour-of-day curve.

    Inverts the piecewise-linear CDF of the hourly weights, so busy hours get more timestamps and
    the time within an hour is uniform.
    """
    hours = np.interp(uniform, _HOUR_CDF, np.arange(25, dtype=np.float64))
    return np.minimum(np.floor(hours * 3600.0), 86_399).astype(np.int64)
