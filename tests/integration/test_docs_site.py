"""The build publishes the dbt docs site and leaves the warehouse holding only queryable tables."""

from __future__ import annotations

import duckdb
import pytest
from dagster import AssetKey

from assets.docs import DOCS_SITE, EVERY_COLUMN_DESCRIBED
from ecap_pipeline.summary import MARTS
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration


def test_docs_site_is_a_self_contained_page_that_documents_every_mart(built: Built) -> None:
    site = built.settings.data_dir / "docs" / "dbt" / "static_index.html"
    page = site.read_text()
    assert page.lstrip().lower().startswith("<!doctype html>")
    for mart in MARTS:
        assert f'"model.ecap.{mart}"' in page, mart
    assert built.instance.get_latest_materialization_event(AssetKey(DOCS_SITE)) is not None


def test_every_column_described_check_passes(built: Built) -> None:
    evaluations = [
        evaluation
        for evaluation in built.result.get_asset_check_evaluations()
        if evaluation.check_name == EVERY_COLUMN_DESCRIBED
    ]
    assert len(evaluations) == 1
    assert evaluations[0].passed, evaluations[0].metadata


def test_generating_docs_leaves_no_views_over_bronze_in_the_warehouse(built: Built) -> None:
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        kinds = connection.execute(
            "select distinct table_schema, table_type from information_schema.tables order by all"
        ).fetchall()
    assert kinds == [("main", "BASE TABLE")]
