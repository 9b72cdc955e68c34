"""After the daily refresh: the key marts are fresh, and every mart shows its size, schema, preview (and trend)."""

from __future__ import annotations

import duckdb
import pytest
from dagster import AssetKey, TableSchema

from assets.freshness import FRESHNESS_CHECK, KEY_MARTS
from assets.warehouse import TREND_DAYS
from ecap_pipeline.summary import MARTS
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration


def _metadata(built: Built, name: str) -> dict:
    event = built.instance.get_latest_materialization_event(AssetKey(name))
    assert event is not None and event.asset_materialization is not None, name
    return dict(event.asset_materialization.metadata)


def test_freshness_checks_run_in_the_refresh_and_pass_right_after_it(built: Built) -> None:
    evaluations = [e for e in built.result.get_asset_check_evaluations() if e.check_name == FRESHNESS_CHECK]
    assert {e.asset_key for e in evaluations} == {AssetKey(name) for name in KEY_MARTS}
    assert all(e.passed for e in evaluations), [e.description for e in evaluations]
    assert {e.metadata["freshness"].value for e in evaluations} == {"fresh"}


def test_every_mart_shows_the_row_count_and_columns_analysts_get(built: Built) -> None:
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        for name in MARTS:
            metadata = _metadata(built, name)
            columns = [row[0] for row in connection.execute(f"describe main.{name}").fetchall()]
            schema = metadata["dagster/column_schema"].value
            assert isinstance(schema, TableSchema), name
            assert [column.name for column in schema.columns] == columns, name
            assert (
                metadata["dagster/row_count"].value == connection.execute(f"select count(*) from {name}").fetchone()[0]
            )
            preview = metadata["preview"].value.splitlines()
            assert preview[0] == "| " + " | ".join(columns) + " |", name
            assert len(preview) == 2 + min(5, metadata["dagster/row_count"].value), name


def test_revenue_daily_shows_the_last_two_weeks_of_net_revenue(built: Built) -> None:
    trend = _metadata(built, "revenue_daily")["revenue_trend"].value.splitlines()
    rows = [line.split(" | ") for line in trend[4:]]
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        expected = connection.execute(
            "select order_date::varchar, sum(net_revenue) from revenue_daily group by 1 order by 1 desc limit ?",
            [TREND_DAYS],
        ).fetchall()[::-1]
    assert len(rows) == TREND_DAYS == len(expected)
    assert [row[0].removeprefix("| ") for row in rows] == [day for day, _ in expected]
    assert [float(row[1].replace(",", "")) for row in rows] == pytest.approx([float(v) for _, v in expected], abs=0.01)
    assert trend[0].startswith(f"**net revenue, {TREND_DAYS} days:** `")
