"""`ecap build` builds stage by stage and summarises; it refuses bad input before any work, naming what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from ecap_pipeline.cli import main
from ecap_pipeline.cli.progress import STAGES
from ecap_pipeline.summary import MARTS
from tests.conftest import tiny_environment


@pytest.mark.integration
def test_build_runs_every_asset_and_prints_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny_environment(monkeypatch, tmp_path)
    for variable in (
        "ECAP_SCALE_OVERRIDES",
        "ECAP_FRAUD_RATE",
        "ECAP_RETENTION_DAYS",
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS",
    ):
        monkeypatch.delenv(variable, raising=False)  # restored after the test, whatever main() sets
    assert main(["build", "--start", "2025-09-01", "--end", "2025-09-02", "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    warehouse = tmp_path / "warehouse" / "ecap.duckdb"
    assert f"Warehouse : {warehouse}" in printed
    assert f"Delta lake: {tmp_path / 'lake' / 'bronze'}/<table>" in printed
    assert "make dev" in printed
    begun = re.findall(r"^\[(\d)/(\d)\] (\w+): ", printed, flags=re.MULTILINE)
    assert [(int(position), int(total)) for position, total, _ in begun] == [
        (position, len(begun)) for position in range(1, len(begun) + 1)
    ]
    stages = [stage for *_, stage in begun]
    assert stages[:3] == ["bronze", "quality", "warehouse"]
    assert {"docs", "models"} <= set(stages) <= set(STAGES)
    assert stages[-1] == "reports", "the reports are built last, from the retrained models' scores"
    assert f"Report    : {tmp_path / 'reports' / 'executive_report.html'}  (ecap report)" in printed
    for stage in ("bronze", "quality", "warehouse", "docs"):
        assert re.search(rf"^  {stage} +[1-9]\d* step\(s\) +[\d.]+ s  ok$", printed, flags=re.MULTILINE), stage
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for mart in MARTS:
            rows = connection.execute(f"select count(*) from {mart}").fetchone()[0]
            assert re.search(rf"^  {mart} +{rows:,} rows$", printed, flags=re.MULTILINE), mart


def test_build_with_end_before_start_exits_2_naming_the_setting(tmp_path, monkeypatch, capsys) -> None:
    tiny_environment(monkeypatch, tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--start", "2025-09-10", "--end", "2025-09-01"])
    assert exit_info.value.code == 2
    assert "ECAP_END_DATE" in capsys.readouterr().err


def test_build_with_unknown_scale_exits_2_listing_the_scales(tmp_path, monkeypatch, capsys) -> None:
    tiny_environment(monkeypatch, tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--scale", "enormous"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "--scale" in error
    assert "tiny" in error


def test_build_into_an_unwritable_data_dir_exits_2_naming_the_setting(tmp_path, monkeypatch, capsys) -> None:
    tiny_environment(monkeypatch, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--data-dir", str(blocker / "data")])
    assert exit_info.value.code == 2
    assert "ECAP_DATA_DIR" in capsys.readouterr().err
