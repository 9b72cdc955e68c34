"""The landing zone end to end: the sensor's run of the real job, and a shop export reaching the marts."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions, build_sensor_context

from assets.docs import DOCS_SITE
from assets.landing import INGEST_LANDED_FILES, INGEST_OP, ingest_landed_files_job
from ecap_pipeline.definitions import build_definitions
from ecap_pipeline.lake.bronze import read_table
from ecap_pipeline.landing.ingest import ingest_file
from ecap_pipeline.sensors import LANDING_ZONE_SENSOR, landing_zone_sensor
from ecap_pipeline.settings import Settings
from resources.landing import LandingResource
from tests.conftest import tiny_environment
from tests.integration.conftest import END, START, Built

pytestmark = pytest.mark.integration


def _drop(landing_dir: Path, name: str, content: str) -> None:
    path = landing_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


def test_the_sensor_requests_a_run_of_the_real_job_that_lands_each_file_once(tmp_path: Path) -> None:
    landing = LandingResource(data_dir=str(tmp_path))
    defs = Definitions(
        jobs=[ingest_landed_files_job()], sensors=[landing_zone_sensor()], resources={"landing": landing}
    )
    _drop(
        landing.landing_root,
        "orders/export.csv",
        "order_id,customer_id,ordered_at,amount\nA1,C1,2025-09-20,19.9\nA2,C1,x,1\n",
    )
    _drop(landing.landing_root, "orders/broken.parquet", "not parquet")
    sensor = defs.resolve_sensor_def(LANDING_ZONE_SENSOR)
    tick = sensor.evaluate_tick(build_sensor_context(resources={"landing": landing}))
    assert len(tick.run_requests) == 2
    counts = []
    with DagsterInstance.ephemeral() as instance:
        for request in tick.run_requests:
            job = defs.resolve_job_def(INGEST_LANDED_FILES)
            result = job.execute_in_process(run_config=request.run_config, instance=instance, tags=request.tags)
            assert result.success
            (output,) = [event for event in result.all_node_events if event.is_successful_output]
            metadata = output.step_output_data.metadata
            counts.append(tuple(metadata[key].value for key in ("rows_accepted", "rows_quarantined", "files_rejected")))
    assert sorted(counts) == [(0, 0, 1), (1, 1, 0)]
    assert read_table(tmp_path / "lake", "orders")["order_id"].to_list() == ["A1"]
    quarantine = pl.read_delta(str(tmp_path / "lake" / "quarantine" / "orders"))
    assert quarantine.select("file", "row_number", "rule").rows() == [("orders/export.csv", 2, "unparseable_timestamp")]
    assert (landing.landing_root / "_processed" / "orders" / "export.csv").is_file()
    assert (landing.landing_root / "_rejected" / "orders" / "broken.parquet.reason.txt").is_file()
    after = sensor.evaluate_tick(build_sensor_context(cursor=tick.cursor, resources={"landing": landing}))
    assert (after.run_requests, after.cursor) == ([], "[]")
    assert INGEST_OP in {node.name for node in defs.resolve_job_def(INGEST_LANDED_FILES).nodes}


def _materialize(defs: Definitions, instance: DagsterInstance, selection: AssetSelection, **options: str) -> None:
    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_selection=selection.resolve(defs.resolve_asset_graph())
    )
    result = job.execute_in_process(instance=instance, **options)
    assert result.success
    assert result.get_asset_materialization_events()


def test_a_landed_order_export_survives_a_generator_rerun_and_reaches_fct_orders_and_revenue_daily(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("lake", "warehouse"):
        shutil.copytree(built.settings.data_dir / folder, tmp_path / folder)
    tiny_environment(monkeypatch, tmp_path, ECAP_START_DATE=START, ECAP_END_DATE=END)
    settings = Settings.from_env()
    customer = read_table(settings.lake_dir, "customers").item(0, "customer_id")
    product = read_table(settings.lake_dir, "products").item(0, "product_id")
    export = "order_id,customer_id,ordered_at,amount,product_id,quantity\n"
    export += f"SHOP-1,{customer},2025-09-20T10:00:00Z,49.90,{product},2\nSHOP-2,SHOP-CUSTOMER-9,2025-09-21,10.00,,3\n"
    _drop(settings.landing_dir, "orders/shop.csv", export)
    report = ingest_file(settings.data_dir, "orders/shop.csv")
    assert (report.accepted, report.quarantined) == (2, 0)

    defs = build_definitions(settings)
    with DagsterInstance.ephemeral() as instance:
        _materialize(defs, instance, AssetSelection.groups("ingestion"), partition_key="2025-09-20")
        landed = read_table(settings.lake_dir, "orders").filter(pl.col("_batch_id") == report.batch_id)
        assert sorted(landed["order_id"]) == ["SHOP-1", "SHOP-2"]
        # every model and dbt test: a subset would run the tests that reconcile marts with each
        # other (dbt selects a test when any of its models is selected) against stale models
        _materialize(defs, instance, AssetSelection.groups("warehouse") - AssetSelection.assets(AssetKey(DOCS_SITE)))

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        orders = connection.execute(
            "select order_id, customer_id, order_date, net_revenue, device, payment_method, is_first_order"
            " from fct_orders where order_id like 'SHOP-%' order by order_id"
        ).fetchall()
        revenue = connection.execute(
            "select category, orders, net_revenue from revenue_daily where order_date = ? and device = 'unknown'",
            [dt.date(2025, 9, 21)],
        ).fetchall()
    assert orders[0][:4] == ("SHOP-1", customer, dt.date(2025, 9, 20), Decimal("49.90"))
    assert orders[1] == (
        "SHOP-2",
        "SHOP-CUSTOMER-9",
        dt.date(2025, 9, 21),
        Decimal("10.00"),
        "unknown",
        "unknown",
        True,
    )
    assert revenue == [(None, 1, Decimal("10.00"))]
