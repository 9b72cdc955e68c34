"""`ecap generate` fills bronze only, through the build's own job; `ecap docs` rebuilds the docs site of a build."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ecap_pipeline.cli import main
from ecap_pipeline.lake.bronze import read_table
from tests.conftest import tiny_environment
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration
_SET_BY_MAIN = (
    "ECAP_SCALE_OVERRIDES",
    "ECAP_FRAUD_RATE",
    "ECAP_RETENTION_DAYS",
    "ECAP_CHURN_HORIZON_DAYS",
    "ECAP_FRAUD_RULES",
    "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS",
)


@pytest.fixture
def restored_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Whatever main() writes to the environment is undone after the test."""
    for variable in _SET_BY_MAIN:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_generate_lands_exactly_the_requested_days_in_bronze_and_builds_no_warehouse(
    tmp_path: Path, restored_environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny_environment(restored_environment, tmp_path)

    assert main(["generate", "--start", "2025-09-01", "--days", "2", "--data-dir", str(tmp_path)]) == 0

    printed = capsys.readouterr().out
    assert re.search(r"^\[1/\d\] bronze: generate the days", printed, flags=re.MULTILINE)
    assert "] warehouse: " not in printed
    assert "] quality: " in printed  # the bronze checks run with the bronze assets they check
    assert "Generated 2 day(s)" in printed
    orders = read_table(tmp_path / "lake", "orders")
    assert sorted(orders["partition_date"].unique().to_list()) == [dt.date(2025, 9, 1), dt.date(2025, 9, 2)]
    assert f"  {'orders':<24} {orders.height:>10,} rows" in printed
    assert not (tmp_path / "warehouse").exists()
    assert not (tmp_path / "models").exists()


def test_docs_rebuilds_the_site_of_a_build_and_prints_its_path(
    built: Built, restored_environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in built.settings.as_env().items():
        restored_environment.setenv(name, value)
    restored_environment.setenv("DAGSTER_HOME", str(built.settings.data_dir / "dagster"))
    site = built.settings.data_dir / "docs" / "dbt" / "static_index.html"
    before = site.stat().st_mtime_ns

    assert main(["docs", "--data-dir", str(built.settings.data_dir)]) == 0

    assert capsys.readouterr().out.splitlines()[-1] == str(site)
    assert site.stat().st_mtime_ns > before
    assert '"model.ecap.customer_rfm"' in site.read_text()
