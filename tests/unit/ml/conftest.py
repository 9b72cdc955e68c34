"""Parameters the CLV tests share: the published CDNOW estimates of both models."""

from __future__ import annotations

import pytest

from ecap_pipeline.ml.clv import BgNbdParams, GammaGammaParams


@pytest.fixture(scope="session")
def cdnow_bgnbd() -> BgNbdParams:
    """Fader, Hardie & Lee (2005), CDNOW, time in weeks: r=0.243, alpha=4.414, a=0.793, b=2.426 (rounded)."""
    return BgNbdParams(r=0.24, alpha=4.41, a=0.79, b=2.43)


@pytest.fixture(scope="session")
def cdnow_gamma_gamma() -> GammaGammaParams:
    """Fader & Hardie (2013), CDNOW spend in dollars: p=6.25, q=3.74, v=15.44."""
    return GammaGammaParams(p=6.25, q=3.74, v=15.44)
