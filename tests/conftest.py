"""Shared fixtures: every test that touches the pipeline gets its own data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

TINY_ENV = {
    "ECAP_SCALE": "tiny",
    "ECAP_SEED": "7",
    "ECAP_START_DATE": "2025-09-01",
    "ECAP_END_DATE": "2025-09-03",
}


@pytest.fixture(autouse=True, scope="session")
def _no_telemetry() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_DISABLE_TELEMETRY", "1")
        yield


def tiny_environment(patch: pytest.MonkeyPatch, data_dir: Path, **overrides: str) -> None:
    """Point every ECAP_* setting and DAGSTER_HOME at a tiny shop in `data_dir`."""
    for name, value in {**TINY_ENV, **overrides}.items():
        patch.setenv(name, value)
    patch.setenv("ECAP_DATA_DIR", str(data_dir))
    patch.setenv("DAGSTER_HOME", str(data_dir / "dagster"))
