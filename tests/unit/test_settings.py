"""Settings come from ECAP_* variables and fail early, naming the variable, on a bad value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ecap_pipeline import settings
from ecap_pipeline.generate.scales import get_scale
from ecap_pipeline.ml.fraud_config import DEFAULT_RULES_PATH
from ecap_pipeline.settings import Settings, SettingsError


def _env(data_dir: Path, **values: str) -> dict[str, str]:
    return {"ECAP_DATA_DIR": str(data_dir), **values}


def test_defaults_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every default is used, with the default data folder pointed away from the repository.
    monkeypatch.setitem(settings.DEFAULTS, "ECAP_DATA_DIR", str(tmp_path / "data"))
    parsed = Settings.from_env({})
    assert parsed == Settings(
        data_dir=tmp_path / "data",
        scale="small",
        seed=42,
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 11, 29),
    )
    assert parsed.data_dir.is_dir(), "the data folder is created"
    assert len(parsed.days()) == 274


def test_the_default_data_folder_is_the_repositorys_data_folder() -> None:
    assert Path(settings.DEFAULTS["ECAP_DATA_DIR"]) == settings.PROJECT_ROOT / "data"


def test_explicit_values_win_and_empty_ones_fall_back_to_defaults(tmp_path: Path) -> None:
    environ = _env(tmp_path, ECAP_SCALE="tiny", ECAP_SEED="7", ECAP_START_DATE="2025-09-01", ECAP_END_DATE="2025-09-03")
    parsed = Settings.from_env(environ)
    assert (parsed.scale, parsed.seed) == ("tiny", 7)
    assert parsed.days() == [dt.date(2025, 9, 1), dt.date(2025, 9, 2), dt.date(2025, 9, 3)]
    assert parsed.shop.scale == get_scale("tiny")
    assert parsed.shop.opening_date == dt.date(2025, 9, 1)
    assert parsed.lake_dir == tmp_path / "lake"
    assert Settings.from_env(_env(tmp_path, ECAP_SCALE="", ECAP_SEED="")).scale == "small"


def test_settings_round_trip_through_the_environment(tmp_path: Path) -> None:
    parsed = Settings.from_env(_env(tmp_path, ECAP_SCALE="tiny", ECAP_SEED="3", ECAP_END_DATE="2025-09-01"))
    assert Settings.from_env(parsed.as_env()) == parsed


def test_the_real_environment_does_not_leak_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECAP_SCALE", "nope")
    assert Settings.from_env(_env(tmp_path)).scale == "small"


def test_an_unknown_scale_names_ecap_scale(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"ECAP_SCALE='huge'.*choose one of: tiny, small, medium, large") as raised:
        Settings.from_env(_env(tmp_path, ECAP_SCALE="huge"))
    assert raised.value.name == "ECAP_SCALE"


def test_an_end_before_the_start_names_ecap_end_date(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"ECAP_END_DATE='2025-08-31'.*before ECAP_START_DATE") as raised:
        Settings.from_env(_env(tmp_path, ECAP_START_DATE="2025-09-01", ECAP_END_DATE="2025-08-31"))
    assert raised.value.name == "ECAP_END_DATE"


def test_a_one_day_range_is_fine(tmp_path: Path) -> None:
    parsed = Settings.from_env(_env(tmp_path, ECAP_START_DATE="2025-09-01", ECAP_END_DATE="2025-09-01"))
    assert parsed.days() == [dt.date(2025, 9, 1)]


@pytest.mark.parametrize("variable", ["ECAP_START_DATE", "ECAP_END_DATE"])
@pytest.mark.parametrize("text", ["2025-13-01", "01/09/2025", "yesterday"])
def test_a_malformed_date_names_its_variable(tmp_path: Path, variable: str, text: str) -> None:
    with pytest.raises(SettingsError, match=f"{variable}=.*expected a date as YYYY-MM-DD") as raised:
        Settings.from_env(_env(tmp_path, **{variable: text}))
    assert raised.value.name == variable


@pytest.mark.parametrize("seed", ["forty-two", "4.2", "-1", "42 "])
def test_a_seed_that_is_not_a_non_negative_integer_names_ecap_seed(tmp_path: Path, seed: str) -> None:
    with pytest.raises(SettingsError, match="ECAP_SEED") as raised:
        Settings.from_env(_env(tmp_path, ECAP_SEED=seed))
    assert raised.value.name == "ECAP_SEED"


def test_an_unwritable_data_dir_names_ecap_data_dir(tmp_path: Path) -> None:
    # Tests run as root, which ignores file modes; a folder cannot be made beneath a regular file.
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    with pytest.raises(SettingsError, match=r"ECAP_DATA_DIR=.*not writable") as raised:
        Settings.from_env(_env(blocker / "data"))
    assert raised.value.name == "ECAP_DATA_DIR"


def test_a_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


def test_scale_overrides_and_fraud_rate_reach_the_shop(tmp_path: Path) -> None:
    overrides = "products=120, signups_per_day=2.5"
    parsed = Settings.from_env(
        _env(tmp_path, ECAP_SCALE="tiny", ECAP_SCALE_OVERRIDES=overrides, ECAP_FRAUD_RATE="0.05")
    )
    assert (parsed.shop.scale.products, parsed.shop.scale.signups_per_day) == (120, 2.5)
    assert parsed.shop.scale.initial_customers == get_scale("tiny").initial_customers
    assert parsed.shop.fraud.rate == 0.05
    assert Settings.from_env(parsed.as_env()) == parsed


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("products=-5", r"scale\.products=-5 is invalid"),
        ("colour=3", r"unknown scale override\(s\): colour"),
        ("products", r"scale override 'products' is invalid: expected knob=number"),
        ("products=many", r"scale override 'products=many' is invalid"),
    ],
)
def test_a_bad_scale_override_names_ecap_scale_overrides(tmp_path: Path, text: str, rule: str) -> None:
    with pytest.raises(SettingsError, match=rf"ECAP_SCALE_OVERRIDES=.*{rule}") as raised:
        Settings.from_env(_env(tmp_path, ECAP_SCALE_OVERRIDES=text))
    assert raised.value.name == "ECAP_SCALE_OVERRIDES"


@pytest.mark.parametrize(
    ("text", "rule"), [("1.5", r"rate=1\.5 is invalid"), ("-0.1", "is invalid"), ("lots", "number")]
)
def test_a_bad_fraud_rate_names_ecap_fraud_rate(tmp_path: Path, text: str, rule: str) -> None:
    with pytest.raises(SettingsError, match=rf"ECAP_FRAUD_RATE=.*{rule}") as raised:
        Settings.from_env(_env(tmp_path, ECAP_FRAUD_RATE=text))
    assert raised.value.name == "ECAP_FRAUD_RATE"


def test_the_churn_horizon_defaults_to_90_days_and_reaches_child_processes(tmp_path: Path) -> None:
    settings = Settings.from_env(_env(tmp_path))
    assert settings.churn_horizon_days == 90
    custom = Settings.from_env(_env(tmp_path, ECAP_CHURN_HORIZON_DAYS="14"))
    assert custom.churn_horizon_days == 14
    assert custom.as_env()["ECAP_CHURN_HORIZON_DAYS"] == "14"


@pytest.mark.parametrize("text", ["0", "366", "-5", "ninety", "7.5"])
def test_a_bad_churn_horizon_names_ecap_churn_horizon_days(tmp_path: Path, text: str) -> None:
    with pytest.raises(SettingsError, match=r"ECAP_CHURN_HORIZON_DAYS=.*whole number of days") as raised:
        Settings.from_env(_env(tmp_path, ECAP_CHURN_HORIZON_DAYS=text))
    assert raised.value.name == "ECAP_CHURN_HORIZON_DAYS"


def test_the_fraud_rules_default_to_the_packaged_file_and_a_custom_one_reaches_child_processes(tmp_path: Path) -> None:
    assert Settings.from_env(_env(tmp_path)).fraud_rules_path is None
    rules = tmp_path / "rules.toml"
    rules.write_text(DEFAULT_RULES_PATH.read_text())
    custom = Settings.from_env(_env(tmp_path, ECAP_FRAUD_RULES=str(rules)))
    assert custom.fraud_rules_path == rules
    assert Settings.from_env(custom.as_env()) == custom


def test_a_broken_fraud_rules_file_fails_at_start_up_naming_ecap_fraud_rules_and_the_rule(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(DEFAULT_RULES_PATH.read_text().replace('entity = "device_id"', 'entity = "email"'))
    with pytest.raises(SettingsError, match=r"ECAP_FRAUD_RULES=.*rule 'device_velocity' key 'entity'") as raised:
        Settings.from_env(_env(tmp_path, ECAP_FRAUD_RULES=str(rules)))
    assert raised.value.name == "ECAP_FRAUD_RULES"
