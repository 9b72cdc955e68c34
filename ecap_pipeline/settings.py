"""Run-time settings, read once from the environment and checked before anything runs.

Every knob is an `ECAP_*` environment variable with a default that builds the small shop into
the repository's `data/` folder. A bad value fails at start-up with an error naming the
variable, never halfway through a run. The dbt profile reads the same `ECAP_DATA_DIR`.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ecap_pipeline.generate.config import ShopConfig, shop_config
from ecap_pipeline.generate.scales import DEFAULT_SCALE, get_scale
from ecap_pipeline.ml.fraud_config import FraudConfigError, load_rules

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

DEFAULTS: Mapping[str, str] = {
    "ECAP_DATA_DIR": str(PROJECT_ROOT / "data"),
    "ECAP_SCALE": DEFAULT_SCALE,
    "ECAP_SEED": "42",
    "ECAP_START_DATE": "2025-03-01",
    "ECAP_END_DATE": "2025-11-29",
    "ECAP_SCALE_OVERRIDES": "",
    "ECAP_FRAUD_RATE": "0.01",
    "ECAP_CHURN_HORIZON_DAYS": "90",
    "ECAP_RETENTION_DAYS": "",
    "ECAP_FRAUD_RULES": "",
}


class SettingsError(ValueError):
    """A setting has a value the pipeline cannot run with."""

    def __init__(self, name: str, value: str, rule: str) -> None:
        super().__init__(f"setting {name}={value!r} is invalid: {rule}")
        self.name = name


@dataclass(frozen=True)
class Settings:
    """Validated settings of one deployment (local, CI, a test's temp directory)."""

    data_dir: Path
    scale: str
    seed: int
    start_date: dt.date
    end_date: dt.date
    scale_overrides: str = ""
    fraud_rate: float = 0.01
    churn_horizon_days: int = 90
    """A customer has churned at a cutoff when they place no order in the next this-many days."""
    retention_days: int | None = None
    """Days of bronze to keep, counted back from the newest day in the lake; None keeps everything."""
    fraud_rules_path: Path | None = None
    """The fraud rules file (TOML); None means the packaged `ecap_pipeline/ml/fraud_rules.toml`."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `environ` (default: the process environment), validated."""
        source = os.environ if environ is None else environ

        def value(name: str) -> str:
            return source.get(name) or DEFAULTS[name]

        def check_shop(name: str, text: str, **knobs: str | float) -> None:
            try:
                shop_config(0, scale, dt.date(2000, 1, 1), **knobs)
            except ValueError as error:
                raise SettingsError(name, text, str(error)) from None

        scale = value("ECAP_SCALE")
        try:
            get_scale(scale)
        except ValueError as error:
            raise SettingsError("ECAP_SCALE", scale, str(error)) from None
        start = _parse_date("ECAP_START_DATE", value("ECAP_START_DATE"))
        end = _parse_date("ECAP_END_DATE", value("ECAP_END_DATE"))
        if end < start:
            raise SettingsError("ECAP_END_DATE", value("ECAP_END_DATE"), f"it is before ECAP_START_DATE={start}")
        seed_text = value("ECAP_SEED")
        if not seed_text.isdigit():
            raise SettingsError("ECAP_SEED", seed_text, "it must be a non-negative integer")
        overrides = value("ECAP_SCALE_OVERRIDES")
        check_shop("ECAP_SCALE_OVERRIDES", overrides, scale_overrides=overrides)
        fraud_text = value("ECAP_FRAUD_RATE")
        try:
            fraud_rate = float(fraud_text)
        except ValueError:
            raise SettingsError("ECAP_FRAUD_RATE", fraud_text, "expected a number such as 0.01") from None
        check_shop("ECAP_FRAUD_RATE", fraud_text, fraud_rate=fraud_rate)
        horizon_text = value("ECAP_CHURN_HORIZON_DAYS")
        if not horizon_text.isdigit() or not 1 <= int(horizon_text) <= 365:
            rule = "expected a whole number of days from 1 to 365"
            raise SettingsError("ECAP_CHURN_HORIZON_DAYS", horizon_text, rule)
        retention_text = value("ECAP_RETENTION_DAYS")
        if retention_text and not (retention_text.isdigit() and int(retention_text) > 0):
            raise SettingsError("ECAP_RETENTION_DAYS", retention_text, "expected a whole number of days, 1 or more")
        rules_text = value("ECAP_FRAUD_RULES")
        fraud_rules_path = Path(rules_text).expanduser().resolve() if rules_text else None
        try:
            load_rules(fraud_rules_path)
        except FraudConfigError as error:
            raise SettingsError("ECAP_FRAUD_RULES", rules_text, str(error)) from None
        data_dir = Path(value("ECAP_DATA_DIR")).expanduser().resolve()
        _check_writable(data_dir)
        return cls(
            data_dir=data_dir,
            scale=scale,
            seed=int(seed_text),
            start_date=start,
            end_date=end,
            scale_overrides=overrides,
            fraud_rate=fraud_rate,
            churn_horizon_days=int(horizon_text),
            retention_days=int(retention_text) if retention_text else None,
            fraud_rules_path=fraud_rules_path,
        )

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def landing_dir(self) -> Path:
        """Where users drop files to ingest: `<data_dir>/landing/<table>/`."""
        return self.data_dir / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse" / "ecap.duckdb"

    @property
    def reports_dir(self) -> Path:
        """Where the executive report and the Excel workbook are written."""
        return self.data_dir / "reports"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def shop(self) -> ShopConfig:
        """The synthetic shop these settings describe; it opens on the start date."""
        return shop_config(
            self.seed,
            self.scale,
            self.start_date,
            scale_overrides=self.scale_overrides,
            fraud_rate=self.fraud_rate,
        )

    def days(self) -> list[dt.date]:
        """Every day of the configured range, in order."""
        return [
            self.start_date + dt.timedelta(days=offset) for offset in range((self.end_date - self.start_date).days + 1)
        ]

    def as_env(self) -> dict[str, str]:
        """These settings as `ECAP_*` variables, for child processes such as dbt."""
        return {
            "ECAP_DATA_DIR": str(self.data_dir),
            "ECAP_SCALE": self.scale,
            "ECAP_SEED": str(self.seed),
            "ECAP_START_DATE": self.start_date.isoformat(),
            "ECAP_END_DATE": self.end_date.isoformat(),
            "ECAP_SCALE_OVERRIDES": self.scale_overrides,
            "ECAP_FRAUD_RATE": repr(self.fraud_rate),
            "ECAP_CHURN_HORIZON_DAYS": str(self.churn_horizon_days),
            "ECAP_RETENTION_DAYS": "" if self.retention_days is None else str(self.retention_days),
            "ECAP_FRAUD_RULES": "" if self.fraud_rules_path is None else str(self.fraud_rules_path),
        }


def _parse_date(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SettingsError(name, text, "expected a date as YYYY-MM-DD") from None


def _check_writable(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as error:
        raise SettingsError(
            "ECAP_DATA_DIR", str(data_dir), f"the directory is not writable ({error.strerror})"
        ) from None
