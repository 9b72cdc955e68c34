"""The landing-zone sensor requests one run per dropped file, once, even after a restart."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dagster import SensorDefinition, build_sensor_context

from ecap_pipeline.sensors import landing_zone_sensor
from resources.landing import LandingResource

CSV = "order_id,customer_id,ordered_at,amount\nA1,C1,2025-09-20T10:00:00Z,19.90\n"


@pytest.fixture
def sensor() -> SensorDefinition:
    return landing_zone_sensor()


def _drop(data_dir: Path, name: str, content: str = CSV) -> Path:
    path = data_dir / "landing" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


def _tick(sensor: SensorDefinition, data_dir: Path, cursor: str | None):
    """One evaluation: (run keys requested, {run key: files in its run config}, new cursor)."""
    context = build_sensor_context(cursor=cursor, resources={"landing": LandingResource(data_dir=str(data_dir))})
    result = sensor.evaluate_tick(context)
    files = {
        request.run_key: request.run_config["ops"]["ingest_files"]["config"]["files"]
        for request in result.run_requests or []
    }
    return [request.run_key for request in result.run_requests or []], files, result.cursor


def test_each_new_file_gets_one_run_keyed_by_the_file(sensor: SensorDefinition, tmp_path: Path) -> None:
    first = _drop(tmp_path, "orders/a.csv")
    os.utime(first, ns=(1, 1))  # older than b.csv: requested first
    _drop(tmp_path, "customers/b.csv", "customer_id,signup_at\nC9,2025-09-20\n")
    keys, files, cursor = _tick(sensor, tmp_path, None)
    assert [key.split("@")[0] for key in keys] == ["orders/a.csv", "customers/b.csv"]
    assert list(files.values()) == [["orders/a.csv"], ["customers/b.csv"]]
    assert sorted(json.loads(cursor)) == sorted(keys)


def test_a_second_tick_with_the_cursor_requests_nothing_again(sensor: SensorDefinition, tmp_path: Path) -> None:
    _drop(tmp_path, "orders/a.csv")
    keys, _, cursor = _tick(sensor, tmp_path, None)
    again, _, cursor_again = _tick(sensor, tmp_path, cursor)
    assert (len(keys), again, cursor_again) == (1, [], cursor)


def test_after_a_restart_a_waiting_file_is_requested_under_the_same_run_key(
    sensor: SensorDefinition, tmp_path: Path
) -> None:
    """Without its cursor the sensor asks again, but with the same run key, which Dagster runs only once."""
    _drop(tmp_path, "orders/a.csv")
    keys, _, _ = _tick(sensor, tmp_path, None)
    restarted, _, _ = _tick(sensor, tmp_path, None)
    assert restarted == keys


def test_a_file_dropped_again_after_it_was_processed_is_a_new_run(sensor: SensorDefinition, tmp_path: Path) -> None:
    path = _drop(tmp_path, "orders/a.csv")
    (first,), _, cursor = _tick(sensor, tmp_path, None)
    processed = tmp_path / "landing" / "_processed" / "orders"
    processed.mkdir(parents=True)
    path.rename(processed / "a.csv")
    assert _tick(sensor, tmp_path, cursor)[::2] == ([], "[]")
    (processed / "a.csv").rename(path)  # the same bytes and mtime, moved back in
    (second,), _, _ = _tick(sensor, tmp_path, "[]")
    assert second != first and second.startswith("orders/a.csv@")


def test_hidden_files_and_the_handled_folders_are_not_requested(sensor: SensorDefinition, tmp_path: Path) -> None:
    _drop(tmp_path, "orders/.a.csv.partial")
    _drop(tmp_path, "_processed/orders/a.csv")
    _drop(tmp_path, "_rejected/orders/b.csv")
    _drop(tmp_path, "nonsense/c.csv")
    assert _tick(sensor, tmp_path, None)[0] == []


def test_an_empty_landing_zone_skips_and_says_where_it_looked(sensor: SensorDefinition, tmp_path: Path) -> None:
    context = build_sensor_context(cursor=None, resources={"landing": LandingResource(data_dir=str(tmp_path))})
    result = sensor.evaluate_tick(context)
    assert not result.run_requests
    assert result.skip_message == f"no new file in {tmp_path / 'landing'}/<table>/"


def test_a_dropped_file_requests_the_ingest_job_tagged_with_the_file(sensor: SensorDefinition, tmp_path: Path) -> None:
    _drop(tmp_path, "orders/a.csv")
    context = build_sensor_context(cursor=None, resources={"landing": LandingResource(data_dir=str(tmp_path))})
    (request,) = sensor.evaluate_tick(context).run_requests
    assert sensor.job_name == "ingest_landed_files"
    assert request.tags["ecap/landed_file"] == "orders/a.csv"
