"""Valid landed files reach bronze: each format, the order export's mapping, other tables, crash repair."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.lake.contracts import table_schema
from ecap_pipeline.landing.ingest import ingest_file
from ecap_pipeline.landing.lake_io import append_bronze_once
from tests.unit.landing.conftest import NOW, Land, assert_accounted, landed_rows, quarantined_rows

EXPORT_CSV = """order_id,customer_id,ordered_at,amount,product_id,quantity,country_code
X1,C1,2025-09-20T10:15:00Z,19.00,P1,2,
X2,NEW-7,2025-09-22 08:00:00,10.00,,3,FR
X3,NEW-7,2025-09-21T23:30:00-02:00,5.5,,,
"""
EXPORT = [
    {column: value for column, value in row.items() if value is not None}
    for row in pl.read_csv(io.StringIO(EXPORT_CSV), infer_schema=False).to_dicts()
]
"""The export's rows, each with only the fields it has."""


TABLES = ("orders", "order_items", "customers")


def _csv(rows: list[dict[str, str]]) -> str:
    return pl.DataFrame(rows).write_csv()


def _content(data_dir: Path, table: str, batch_id: str) -> pl.DataFrame:
    return landed_rows(data_dir, table, batch_id).drop("_ingested_at").sort(pl.all())


def test_an_order_export_becomes_orders_lines_and_new_customers_with_documented_defaults(
    data_dir: Path, land: Land
) -> None:
    report = land("orders", "export.csv", _csv(EXPORT))
    assert (report.rows_in, report.accepted, report.quarantined) == (3, 3, 0)
    assert report.rows_written == {"orders": 3, "order_items": 3, "customers": 1}
    orders = landed_rows(data_dir, "orders", report.batch_id).sort("order_id")
    assert orders.select(
        "order_id", "partition_date", "payment_method", "device", "currency", "country_code"
    ).rows() == [
        ("X1", dt.date(2025, 9, 20), "unknown", "unknown", "USD", None),
        ("X2", dt.date(2025, 9, 22), "unknown", "unknown", "USD", "FR"),
        ("X3", dt.date(2025, 9, 22), "unknown", "unknown", "USD", None),
    ]
    assert orders["_source"].unique().to_list() == ["landing:orders/export.csv"]
    items = landed_rows(data_dir, "order_items", report.batch_id).sort("order_id")
    assert items.select("order_id", "line_number", "product_id", "quantity", "unit_price", "unit_cost").rows() == [
        ("X1", 1, "P1", 2, 9.5, 4.0),
        ("X2", 1, None, 3, 3.34, None),
        ("X3", 1, None, 1, 5.5, None),
    ]
    net = items.select((pl.col("quantity") * pl.col("unit_price") - pl.col("discount_amount")).round(2))
    assert net.to_series().to_list() == [19.0, 10.0, 5.5]
    customers = landed_rows(data_dir, "customers", report.batch_id)
    assert customers.select("customer_id", "signup_at", "country_code", "segment", "partition_date").rows() == [
        ("NEW-7", dt.datetime(2025, 9, 22, 1, 30, tzinfo=dt.UTC), "FR", "unknown", dt.date(2025, 9, 22))
    ]


def test_the_same_export_as_csv_json_lines_and_parquet_lands_the_same_rows(tmp_path: Path, data_dir: Path) -> None:
    buffer = io.BytesIO()
    pl.DataFrame(EXPORT).write_parquet(buffer)
    files = {
        "export.csv": _csv(EXPORT).encode(),
        "export.jsonl": "\n".join(json.dumps(row) for row in EXPORT).encode(),
        "export.parquet": buffer.getvalue(),
    }
    landed = []
    for name, content in files.items():
        # each format into its own copy of the same lake, so their order ids do not collide
        copy = tmp_path / name
        shutil.copytree(data_dir / "lake", copy / "lake")
        (copy / "landing" / "orders").mkdir(parents=True)
        (copy / "landing" / "orders" / name).write_bytes(content)
        report = ingest_file(copy, f"orders/{name}", now=NOW)
        assert (report.accepted, report.quarantined) == (3, 0), name
        landed.append({table: _content(copy, table, report.batch_id).drop("_source", "_batch_id") for table in TABLES})
    for table in TABLES:
        assert_frame_equal(landed[0][table], landed[1][table])
        assert_frame_equal(landed[0][table], landed[2][table])


def test_ingesting_again_after_a_crash_between_tables_completes_the_file_without_duplicates(
    tmp_path: Path, data_dir: Path, land: Land
) -> None:
    clean_dir = tmp_path / "clean"
    shutil.copytree(data_dir / "lake", clean_dir / "lake")
    (clean_dir / "landing" / "orders").mkdir(parents=True)
    (clean_dir / "landing" / "orders" / "export.csv").write_text(_csv(EXPORT))
    clean = ingest_file(clean_dir, "orders/export.csv", now=NOW)
    # the crashed run committed `orders` only, then died before the lines, the customers and the move
    crashed = landed_rows(clean_dir, "orders", clean.batch_id)
    assert append_bronze_once(data_dir / "lake", "orders", crashed, batch_id=clean.batch_id)
    report = land("orders", "export.csv", _csv(EXPORT))
    assert report.rows_written == {"orders": 0, "order_items": 3, "customers": 1}
    for table in TABLES:
        assert_frame_equal(_content(data_dir, table, report.batch_id), _content(clean_dir, table, clean.batch_id))
    assert_accounted(data_dir, report)


def test_order_lines_land_in_the_partition_of_their_order_and_unknown_orders_are_quarantined(
    data_dir: Path, land: Land
) -> None:
    land("orders", "export.csv", _csv(EXPORT))
    lines = "order_id,line_number,product_id,quantity,unit_price,unit_cost,discount_amount\n"
    lines += "X1,2,P2,1,25.0,10.0,0\nNOPE,1,P1,1,9.5,4.0,0\nX2,2,P9,1,3,1,0\n"
    report = land("order_items", "lines.csv", lines)
    assert landed_rows(data_dir, "order_items", report.batch_id).select("order_id", "partition_date").rows() == [
        ("X1", dt.date(2025, 9, 20))
    ]
    quarantined = quarantined_rows(data_dir, "order_items", report.batch_id)
    assert quarantined.select("row_number", "column", "rule").rows() == [
        (2, "order_id", "unknown_order"),
        (3, "product_id", "unknown_reference"),
    ]
    assert "order 'NOPE' is not in bronze orders (land the order first)" in quarantined.item(0, "reason")
    assert "'P9' is not a product_id in bronze products" in quarantined.item(1, "reason")
    assert_accounted(data_dir, report)


def test_landed_customers_follow_the_bronze_contract_and_its_value_sets(data_dir: Path, land: Land) -> None:
    content = "customer_id,signup_at,country_code,segment,latitude\n"
    content += "C9,2025-09-25T08:00:00Z,GB,loyal,51.5\nC10,2025-09-25,germany,new,\n"
    content += "C11,2025-09-26,DE,vip,\nC12,2025-09-26,DE,new,95\n"
    report = land("customers", "crm.csv", content)
    rows = landed_rows(data_dir, "customers", report.batch_id)
    assert rows.schema == table_schema("customers")
    assert rows.select("customer_id", "partition_date").rows() == [("C9", dt.date(2025, 9, 25))]
    assert quarantined_rows(data_dir, "customers", report.batch_id).select("column", "rule").rows() == [
        ("country_code", "bad_format"),
        ("segment", "not_in_value_set"),
        ("latitude", "out_of_range"),
    ]
    assert_accounted(data_dir, report)


def test_landed_rows_are_readable_with_every_other_bronze_row(data_dir: Path, land: Land) -> None:
    land("orders", "export.csv", _csv(EXPORT))
    customers = read_table(data_dir / "lake", "customers")
    assert sorted(customers["customer_id"]) == ["C1", "C2", "NEW-7"]
    assert sorted(customers["_source"].unique()) == ["generator", "landing:orders/export.csv"]


def test_a_landed_catalog_is_the_snapshot_of_the_day_it_lands_and_may_repeat_other_days_products(
    data_dir: Path, land: Land
) -> None:
    catalog = "product_id,product_name,category,unit_price,unit_cost\nP1,Mug,Home,9.9,4.1\nP3,Vase,Home,30,12\n"
    report = land("products", "catalog.csv", catalog)
    rows = landed_rows(data_dir, "products", report.batch_id)
    assert rows.select("product_id", "partition_date").sort("product_id").rows() == [
        ("P1", NOW.date()),
        ("P3", NOW.date()),
    ]
    again = land("products", "catalog-fix.csv", catalog.replace("9.9", "9.8"))
    assert quarantined_rows(data_dir, "products", again.batch_id).select("rule").to_series().to_list() == [
        "duplicate_key_in_bronze",
        "duplicate_key_in_bronze",
    ]
    assert_accounted(data_dir, again)
