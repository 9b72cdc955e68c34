"""Bad landing input, one kind per test: each gets a clear reason and no row is silently dropped."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from ecap_pipeline.landing.ingest import ingest_file
from ecap_pipeline.landing.layout import LandingPathError
from tests.unit.landing.conftest import NOW, Land, assert_accounted, landed_rows, quarantined_rows

HEADER = "order_id,customer_id,ordered_at,amount\n"
GOOD = "A1,C1,2025-09-20T10:00:00Z,19.90\n"


def _rules(data_dir: Path, report) -> list[tuple[int, str | None, str]]:
    rows = quarantined_rows(data_dir, report.table, report.batch_id)
    return list(rows.select("row_number", "column", "rule").iter_rows())


def _rejected(data_dir: Path, report, name: str) -> str:
    assert report.rejected_reason is not None
    assert report.moved_to == data_dir / "landing" / "_rejected" / "orders" / name
    assert (report.rows_in, report.accepted, report.quarantined) == (0, 0, 0)
    assert not (data_dir / "lake" / "bronze" / "orders").exists()
    return (report.moved_to.parent / f"{name}.reason.txt").read_text()


def test_missing_required_column_quarantines_every_row_naming_the_column(data_dir: Path, land: Land) -> None:
    report = land("orders", "no-amount.csv", "order_id,customer_id,ordered_at\nA1,C1,2025-09-20\nA2,C2,2025-09-21\n")
    assert (report.accepted, report.quarantined) == (0, 2)
    assert _rules(data_dir, report) == [(1, "amount", "missing_column"), (2, "amount", "missing_column")]
    assert "orders/no-amount.csv row 1: column 'amount': required column is missing" in report.quarantine_reasons[0]
    assert_accounted(data_dir, report)


def test_extra_unknown_column_quarantines_the_rows_instead_of_dropping_its_values(data_dir: Path, land: Land) -> None:
    report = land("orders", "extra.csv", "order_id,customer_id,ordered_at,amount,coupon\nA1,C1,2025-09-20,19.9,XMAS\n")
    assert _rules(data_dir, report) == [(1, "coupon", "unknown_column")]
    assert "the orders landing contract has no such column" in report.quarantine_reasons[0]
    raw = quarantined_rows(data_dir, "orders", report.batch_id).item(0, "raw")
    assert '"coupon":"XMAS"' in raw
    assert_accounted(data_dir, report)


def test_wrong_types_quarantine_only_the_rows_that_have_them(data_dir: Path, land: Land) -> None:
    content = "order_id,customer_id,ordered_at,amount,quantity\n" + (
        "A1,C1,2025-09-20,19.9,2\nA2,C1,2025-09-20,nineteen,1\nA3,C2,2025-09-20,5,2.5\n"
    )
    report = land("orders", "types.csv", content)
    assert (report.accepted, report.quarantined) == (1, 2)
    assert _rules(data_dir, report) == [(2, "amount", "wrong_type"), (3, "quantity", "wrong_type")]
    assert (
        "row 2: column 'amount': 'nineteen' is not a finite decimal number [wrong_type]" in report.quarantine_reasons[0]
    )
    assert "row 3: column 'quantity': '2.5' is not a whole number" in report.quarantine_reasons[1]
    assert_accounted(data_dir, report)


def test_unparseable_timestamps_are_quarantined_with_the_expected_format(data_dir: Path, land: Land) -> None:
    report = land("orders", "times.csv", HEADER + GOOD + "A2,C1,20/09/2025 10:00,5\nA3,C1,2025-02-30T10:00:00,5\n")
    assert _rules(data_dir, report) == [
        (2, "ordered_at", "unparseable_timestamp"),
        (3, "ordered_at", "unparseable_timestamp"),
    ]
    assert "'20/09/2025 10:00' is not ISO 8601" in report.quarantine_reasons[0]
    assert_accounted(data_dir, report)


def test_timestamps_in_the_future_are_quarantined(data_dir: Path, land: Land) -> None:
    report = land("orders", "future.csv", HEADER + GOOD + "A2,C1,2025-10-01T12:00:01Z,5\n")
    assert _rules(data_dir, report) == [(2, "ordered_at", "timestamp_in_future")]
    assert f"is in the future (now is {NOW.isoformat()})" in report.quarantine_reasons[0]
    assert_accounted(data_dir, report)


def test_negative_and_zero_amounts_are_out_of_range(data_dir: Path, land: Land) -> None:
    report = land("orders", "amounts.csv", HEADER + GOOD + "A2,C1,2025-09-20,-5\nA3,C1,2025-09-20,0\n")
    assert _rules(data_dir, report) == [(2, "amount", "out_of_range"), (3, "amount", "out_of_range")]
    assert "column 'amount': -5.0 is not > 0 [out_of_range]" in report.quarantine_reasons[0]
    assert_accounted(data_dir, report)


def test_an_order_id_twice_in_one_file_quarantines_both_rows(data_dir: Path, land: Land) -> None:
    report = land("orders", "dupes.csv", HEADER + GOOD + "A2,C1,2025-09-20,5\nA2,C2,2025-09-21,7\n")
    assert _rules(data_dir, report) == [
        (2, "order_id", "duplicate_key_in_file"),
        (3, "order_id", "duplicate_key_in_file"),
    ]
    assert "order_id 'A2' appears in 2 rows of this file" in report.quarantine_reasons[0]
    assert landed_rows(data_dir, "orders", report.batch_id)["order_id"].to_list() == ["A1"]
    assert_accounted(data_dir, report)


def test_an_order_id_already_landed_by_another_file_is_quarantined(data_dir: Path, land: Land) -> None:
    first = land("orders", "monday.csv", HEADER + GOOD)
    second = land("orders", "tuesday.csv", HEADER + "A1,C2,2025-09-21,5\nA9,C2,2025-09-21,6\n")
    assert _rules(data_dir, second) == [(1, "order_id", "duplicate_key_in_bronze")]
    assert "order_id 'A1' is already in bronze orders" in second.quarantine_reasons[0]
    assert landed_rows(data_dir, "orders", first.batch_id).height == 1
    assert_accounted(data_dir, second)


def test_an_empty_file_is_rejected_with_a_reason_file(data_dir: Path, land: Land) -> None:
    report = land("orders", "empty.csv", "")
    assert _rejected(data_dir, report, "empty.csv") == "orders/empty.csv: the file is empty\n"


def test_a_header_only_file_is_rejected(data_dir: Path, land: Land) -> None:
    report = land("orders", "header.csv", HEADER)
    assert "orders/header.csv: the file has a header or schema but no data rows" in _rejected(
        data_dir, report, "header.csv"
    )


def test_a_truncated_parquet_file_is_rejected(data_dir: Path, land: Land) -> None:
    buffer = io.BytesIO()
    pl.DataFrame(
        {"order_id": ["A1"], "customer_id": ["C1"], "ordered_at": ["2025-09-20"], "amount": [1.0]}
    ).write_parquet(buffer)
    report = land("orders", "cut.parquet", buffer.getvalue()[:-40])
    assert "orders/cut.parquet: not a readable Parquet file (truncated or corrupt?)" in _rejected(
        data_dir, report, "cut.parquet"
    )


def test_invalid_utf8_is_rejected_naming_the_line_and_byte(data_dir: Path, land: Land) -> None:
    report = land("orders", "latin1.csv", (HEADER + GOOD).encode() + "A2,Cé,2025-09-20,5\n".encode("latin-1"))
    reason = _rejected(data_dir, report, "latin1.csv")
    assert "orders/latin1.csv: line 3, byte 5: 0xe9 is not valid UTF-8" in reason


def test_a_semicolon_delimited_file_is_rejected_as_the_wrong_delimiter(data_dir: Path, land: Land) -> None:
    report = land("orders", "semi.csv", HEADER.replace(",", ";") + GOOD.replace(",", ";"))
    assert "the file looks ';'-delimited; landed CSV files must be comma-separated" in _rejected(
        data_dir, report, "semi.csv"
    )


@pytest.mark.parametrize("name", ["../orders/escape.csv", "orders/../../escape.csv", "/etc/passwd", "orders/sub/x.csv"])
def test_a_requested_name_escaping_the_landing_folder_is_refused_and_nothing_moves(data_dir: Path, name: str) -> None:
    outside = data_dir / "escape.csv"
    outside.write_text(HEADER + GOOD)
    with pytest.raises(LandingPathError, match=r"expected <table>/<file> inside .*landing, with no '\.\.'"):
        ingest_file(data_dir, name, now=NOW)
    assert outside.read_text() == HEADER + GOOD
    assert not (data_dir / "lake" / "bronze" / "orders").exists()


def test_a_symlink_to_a_file_outside_the_landing_folder_is_rejected_without_reading_it(data_dir: Path) -> None:
    secret = data_dir / "secret.csv"
    secret.write_text(HEADER + GOOD)
    link = data_dir / "landing" / "orders" / "link.csv"
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    report = ingest_file(data_dir, "orders/link.csv", now=NOW)
    assert (
        report.rejected_reason
        == f"orders/link.csv: is a symbolic link (to {secret}); copy the file itself into landing/"
    )
    assert report.moved_to.is_symlink() and secret.read_text() == HEADER + GOOD
    assert not (data_dir / "lake" / "bronze" / "orders").exists()


def test_a_table_folder_linked_outside_the_landing_folder_is_refused(data_dir: Path) -> None:
    outside = data_dir / "elsewhere"
    outside.mkdir()
    (outside / "x.csv").write_text(HEADER + GOOD)
    (data_dir / "landing").mkdir()
    (data_dir / "landing" / "orders").symlink_to(outside)
    with pytest.raises(LandingPathError, match=r"'orders/x.csv': the folder .* leads outside .*landing"):
        ingest_file(data_dir, "orders/x.csv", now=NOW)
    assert (outside / "x.csv").is_file()


def test_a_huge_line_is_quarantined_and_the_other_rows_land(data_dir: Path, land: Land) -> None:
    report = land("orders", "huge.csv", HEADER + GOOD + f"A2,{'C' * 100_000},2025-09-20,5\n" + "A3,C2,2025-09-20,6\n")
    assert (report.accepted, report.quarantined) == (2, 1)
    assert _rules(data_dir, report) == [(2, "customer_id", "value_too_long")]
    assert "value of 100000 characters, longer than the limit of 4096" in report.quarantine_reasons[0]
    assert_accounted(data_dir, report)


def test_a_file_dropped_twice_lands_once(data_dir: Path, land: Land) -> None:
    content = HEADER + GOOD + "A2,C1,2025-09-20,-1\n"
    first = land("orders", "export.csv", content)
    second = land("orders", "export.csv", content)
    assert (first.already_ingested, second.already_ingested) == (False, True)
    assert second.batch_id == first.batch_id
    assert (second.rows_in, second.accepted, second.quarantined) == (2, 1, 1)
    assert second.rows_written == {"orders": 0, "order_items": 0, "customers": 0}
    assert second.moved_to.name == "export.2.csv"
    assert landed_rows(data_dir, "orders", first.batch_id).height == 1
    assert_accounted(data_dir, second)


def test_a_malformed_json_line_rejects_the_file(data_dir: Path, land: Land) -> None:
    report = land("orders", "export.jsonl", '{"order_id": "A1", "customer_id": "C1"}\n{"order_id": "A2", \n')
    assert "orders/export.jsonl: not a readable JSON-lines file" in _rejected(data_dir, report, "export.jsonl")


def test_an_unsupported_file_type_is_rejected_naming_the_supported_ones(data_dir: Path, land: Land) -> None:
    report = land("orders", "export.xlsx", b"PK\x03\x04")
    reason = _rejected(data_dir, report, "export.xlsx")
    assert "orders/export.xlsx: unsupported file type '.xlsx'; use one of .csv, .jsonl, .ndjson, .parquet" in reason
