"""ECAP_RETENTION_DAYS: off unless set, a whole number of days when set, refused otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecap_pipeline.settings import Settings, SettingsError


def _env(data_dir: Path, **values: str) -> dict[str, str]:
    return {"ECAP_DATA_DIR": str(data_dir), **values}


def test_retention_is_off_by_default(tmp_path: Path) -> None:
    assert Settings.from_env(_env(tmp_path)).retention_days is None


def test_a_retention_in_days_is_read_and_passed_on(tmp_path: Path) -> None:
    parsed = Settings.from_env(_env(tmp_path, ECAP_RETENTION_DAYS="365"))

    assert parsed.retention_days == 365
    assert parsed.as_env()["ECAP_RETENTION_DAYS"] == "365"
    assert Settings.from_env(parsed.as_env()) == parsed


@pytest.mark.parametrize("text", ["0", "-3", "30d", "1.5"])
def test_a_bad_retention_names_ecap_retention_days(tmp_path: Path, text: str) -> None:
    with pytest.raises(SettingsError, match=rf"ECAP_RETENTION_DAYS='{text}' is invalid: expected a whole number"):
        Settings.from_env(_env(tmp_path, ECAP_RETENTION_DAYS=text))
