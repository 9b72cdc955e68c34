"""`ecap dbt ...` runs dbt on a private copy of the warehouse and publishes it only when dbt succeeds."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ecap_pipeline.cli import main
from ecap_pipeline.warehouse.publish import next_path
from tests.conftest import tiny_environment


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tiny_environment(monkeypatch, tmp_path)
    for variable in ("ECAP_SCALE_OVERRIDES", "ECAP_FRAUD_RATE"):
        monkeypatch.delenv(variable, raising=False)  # restored after the test, whatever main() sets
    path = tmp_path / "warehouse" / "ecap.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table churn_scores as select 1 as customer_id")
    return path


def test_a_failing_dbt_command_leaves_the_warehouse_unchanged_and_exits_with_dbts_code(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = warehouse.read_bytes()
    assert main(["dbt", "--data-dir", str(warehouse.parent.parent), "no-such-command"]) == 2
    assert f"{warehouse} is unchanged" in capsys.readouterr().err
    assert warehouse.read_bytes() == before
    assert not next_path(warehouse).parent.exists()


def test_a_succeeding_dbt_command_publishes_its_copy_with_every_table(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inode = warehouse.stat().st_ino
    assert main(["dbt", "--data-dir", str(warehouse.parent.parent), "debug", "--config-dir"]) == 0
    assert f"published {warehouse}" in capsys.readouterr().out
    assert warehouse.stat().st_ino != inode
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute("select customer_id from churn_scores").fetchall() == [(1,)]
