"""Docs coverage compares what the YAML describes with the columns the warehouse really has."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecap_pipeline.warehouse.docs import docs_coverage


def _write(target: Path, manifest_nodes: dict[str, Any], catalog_nodes: dict[str, Any]) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").write_text(json.dumps({"nodes": manifest_nodes}))
    (target / "catalog.json").write_text(json.dumps({"nodes": catalog_nodes, "sources": {}}))
    return target


def _declared(name: str, description: str, columns: dict[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "columns": {column: {"name": column, "description": text} for column, text in columns.items()},
    }


def _built(*columns: str) -> dict[str, Any]:
    return {"columns": {column.upper(): {"name": column.upper(), "type": "VARCHAR"} for column in columns}}


def test_fully_described_model_and_seed_are_complete(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {
            "model.ecap.orders": _declared("orders", "One row per order.", {"order_id": "Key.", "amount": "Money."}),
            "seed.ecap.segments": _declared("segments", "Segment map.", {"segment": "Name."}),
        },
        {"model.ecap.orders": _built("order_id", "amount"), "seed.ecap.segments": _built("segment")},
    )
    coverage = docs_coverage(target)
    assert coverage.is_complete
    assert (coverage.relations, coverage.columns) == (2, 3)


def test_column_without_description_is_named_with_its_table(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {"model.ecap.orders": _declared("orders", "One row per order.", {"order_id": "Key.", "amount": "  "})},
        {"model.ecap.orders": _built("order_id", "amount", "device")},
    )
    coverage = docs_coverage(target)
    assert coverage.undescribed_columns == ("orders.amount", "orders.device")
    assert not coverage.is_complete


def test_described_column_missing_from_the_table_is_stale(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {"model.ecap.orders": _declared("orders", "One row per order.", {"order_id": "Key.", "old_total": "Gone."})},
        {"model.ecap.orders": _built("order_id")},
    )
    assert docs_coverage(target).stale_columns == ("orders.old_total",)


def test_model_without_description_is_reported(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {"model.ecap.orders": _declared("orders", "", {"order_id": "Key."})},
        {"model.ecap.orders": _built("order_id")},
    )
    assert docs_coverage(target).gaps == ("orders",)


def test_tests_and_operations_in_the_catalog_are_not_documentation_targets(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        {"model.ecap.orders": _declared("orders", "Orders.", {"order_id": "Key."})},
        {"model.ecap.orders": _built("order_id"), "test.ecap.not_null_orders_order_id": _built("order_id")},
    )
    assert docs_coverage(target).relations == 1


def test_missing_catalog_says_which_file_and_what_to_run(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": {}}))
    with pytest.raises(FileNotFoundError, match=r"catalog\.json is missing: run `dbt docs generate`"):
        docs_coverage(tmp_path)
