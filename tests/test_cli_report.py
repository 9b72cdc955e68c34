"""`ecap report` builds whatever the `reports` asset group holds, and says so when it holds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetsDefinition, Definitions, MaterializeResult, MetadataValue, asset

from ecap_pipeline.cli.report import REPORTS_GROUP, materialize_group
from tests.conftest import tiny_environment


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tiny_environment(monkeypatch, tmp_path)
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return tmp_path


def _page_asset(target: Path, *, group: str) -> AssetsDefinition:
    @asset(name="page", group_name=group)
    def page() -> MaterializeResult:
        target.write_text("<html></html>")
        return MaterializeResult(metadata={"path": MetadataValue.path(str(target))})

    return page


def test_a_deployment_without_report_assets_exits_2_saying_so(
    dagster_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    defs = Definitions(assets=[_page_asset(dagster_home / "page.html", group="warehouse")])
    with pytest.raises(SystemExit) as exit_info:
        materialize_group(defs, REPORTS_GROUP, prog="ecap report")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        "ecap report: error: no report assets in this deployment (asset group 'reports' is empty)\n"
    )
    assert not (dagster_home / "page.html").exists()


def test_report_materializes_every_asset_of_the_group_and_prints_its_file(
    dagster_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = dagster_home / "page.html"
    defs = Definitions(assets=[_page_asset(target, group=REPORTS_GROUP)])
    assert materialize_group(defs, REPORTS_GROUP, prog="ecap report") == 0
    assert target.read_text() == "<html></html>"
    assert f"page: {target}" in capsys.readouterr().out.splitlines()
