"""`ecap ingest <file>` lands a file with the landing zone's own code and says what became of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecap_pipeline.cli import main
from ecap_pipeline.lake.bronze import read_table
from tests.conftest import tiny_environment

EXPORT = "order_id,customer_id,ordered_at,amount\nA1,C1,2025-09-20T10:00:00Z,19.90\nA2,C1,2025-09-21,-3\n"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny shop's settings in the environment, restored after the test whatever main() sets."""
    tiny_environment(monkeypatch, tmp_path / "data")
    for variable in ("ECAP_SCALE_OVERRIDES", "ECAP_FRAUD_RATE"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path / "data"


def _export(folder: Path, name: str = "shop.csv", content: str = EXPORT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content)
    return path


def test_ingest_copies_the_file_in_lands_it_and_prints_the_counts_and_reasons(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _export(tmp_path / "exports")
    assert main(["ingest", str(source), "--table", "orders"]) == 0
    printed = capsys.readouterr().out
    processed = data_dir / "landing" / "_processed" / "orders" / "shop.csv"
    assert f"orders/shop.csv: 2 rows in, 1 accepted, 1 quarantined -> {processed}" in printed
    assert "quarantined: orders/shop.csv row 2: column 'amount': -3.0 is not > 0 [out_of_range]" in printed
    assert source.read_text() == EXPORT and processed.read_text() == EXPORT
    assert read_table(data_dir / "lake", "orders")["order_id"].to_list() == ["A1"]


def test_ingest_takes_the_table_from_the_folder_the_file_is_in(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _export(tmp_path / "customers", "crm.csv", "customer_id,signup_at\nC7,2025-09-20\n")
    assert main(["ingest", str(source)]) == 0
    assert "customers/crm.csv: 1 rows in, 1 accepted, 0 quarantined" in capsys.readouterr().out


def test_ingest_of_an_unreadable_file_exits_1_with_the_reason(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _export(tmp_path / "exports", "empty.csv", "")
    assert main(["ingest", str(source), "--table", "orders"]) == 1
    assert "orders/empty.csv: rejected -> " in capsys.readouterr().out
    assert (data_dir / "landing" / "_rejected" / "orders" / "empty.csv.reason.txt").is_file()


def test_ingest_of_a_missing_file_exits_2_naming_it(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(tmp_path / "nope.csv"), "--table", "orders"])
    assert exit_info.value.code == 2
    assert f"{tmp_path / 'nope.csv'} does not exist or is not a file" in capsys.readouterr().err


def test_ingest_without_a_table_it_can_tell_exits_2_asking_for_one(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _export(tmp_path / "exports")
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(source)])
    assert exit_info.value.code == 2
    assert "cannot tell which table" in capsys.readouterr().err


def test_ingest_into_an_unknown_table_exits_2_listing_the_tables(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(_export(tmp_path / "exports")), "--table", "fraud_labels"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'fraud_labels'" in capsys.readouterr().err
