"""`ecap history` and `ecap restore`: time travel on a lake table from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from ecap_pipeline.cli import main
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.lake.bronze import BatchInfo, read_table
from ecap_pipeline.lake.day_writer import write_days
from ecap_pipeline.settings import Settings
from tests.conftest import tiny_environment


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny lake whose `orders` has two versions: day 1 (version 0), then days 1-2 (version 1)."""
    tiny_environment(monkeypatch, tmp_path)
    for variable in ("ECAP_SCALE_OVERRIDES", "ECAP_FRAUD_RATE", "ECAP_RETENTION_DAYS"):
        monkeypatch.delenv(variable, raising=False)  # restored after the test, whatever main() sets
    settings = Settings.from_env()
    batch = BatchInfo("cli-test", dt.datetime(2025, 9, 3, tzinfo=dt.UTC), "generator")
    for days in (settings.days()[:1], settings.days()[1:2]):
        write_days(settings.lake_dir, ["orders"], days, lambda day: generate_day(settings.shop, day), batch)
    return tmp_path


def test_history_lists_the_versions_of_a_table(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "orders", "--data-dir", str(data_dir)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["0", "1"]
    assert lines[0].endswith("CREATE TABLE")
    assert lines[1].endswith("WRITE")


def test_restore_brings_a_table_back_to_a_version(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first_day = read_table(data_dir / "lake", "orders").filter(pl.col("partition_date") == dt.date(2025, 9, 1))

    assert main(["restore", "orders", "--version", "0", "--data-dir", str(data_dir)]) == 0

    assert "orders: restored to version 0 (was at version 1); the restore is version 2" in capsys.readouterr().out
    assert read_table(data_dir / "lake", "orders").sort(pl.all()).equals(first_day.sort(pl.all()))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["restore", "orders", "--version", "5"],
            "bronze table 'orders' has no version 5: its log holds versions 0 to 1",
        ),
        (["restore", "order", "--version", "0"], "unknown lake table 'order'; known tables: customers"),
        (["restore", "returns", "--version", "0"], "bronze table 'returns': no Delta table at"),
        (["history", "ordres"], "unknown lake table 'ordres'"),
    ],
)
def test_a_bad_table_or_version_exits_2_saying_what_exists(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--data-dir", str(data_dir)])

    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
