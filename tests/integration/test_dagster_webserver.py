"""The Dagster webserver, started as users start it, serves the whole project and runs what it is asked to.

Everything is asked through the GraphQL API the UI itself uses, against the tiny built project,
and compared with what the Definitions object declares, so a definition that loads in-process but
not in the served code location fails here.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from dagster import AssetKey, DagsterRunStatus

from assets.docs import DOCS_SITE, EVERY_COLUMN_DESCRIBED
from assets.landing import INGEST_LANDED_FILES
from ecap_pipeline.jobs import DAILY_REFRESH, LAKE_MAINTENANCE, RETRAIN_MODELS
from tests.integration.conftest import Built
from tests.integration.e2e_helpers import Webserver

pytestmark = pytest.mark.integration

RUN_TIMEOUT_S = 180.0
CHEAP_ASSET = "lake_retention"
"""Non-partitioned and, with ECAP_RETENTION_DAYS unset, a no-op on the lake: launching it leaves the
shared built project as every other test expects it."""

REPOSITORY = """
query Repository {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError {
          __typename
          ... on PythonError { message }
          ... on RepositoryLocation {
            repositories {
              name
              assetGroups { groupName }
              jobs { name }
              schedules { name }
              sensors { name }
            }
          }
        }
      }
    }
  }
}
"""
ASSET_CHECKS = """
query AssetChecks {
  assetNodes {
    assetKey { path }
    assetChecksOrError { __typename ... on AssetChecks { checks { name } } }
  }
}
"""
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on InvalidSubsetError { message }
  }
}
"""
RUN_STATUS = """
query RunStatus($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { status } }
}
"""


@pytest.fixture(scope="module")
def served(webserver: Webserver) -> dict[str, Any]:
    """The one code location's one repository, as the webserver loaded it."""
    workspace = webserver.graphql(REPOSITORY)["workspaceOrError"]
    assert workspace["__typename"] == "Workspace", workspace
    entries = workspace["locationEntries"]
    assert len(entries) == 1, [entry["name"] for entry in entries]
    location = entries[0]["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location.get("message")
    (repository,) = location["repositories"]
    return {"location": entries[0]["name"], **repository}


def test_every_asset_group_of_the_definitions_is_served(built: Built, served: dict[str, Any]) -> None:
    graph = built.defs.resolve_asset_graph()
    declared = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    served_groups = {group["groupName"] for group in served["assetGroups"]}
    assert served_groups == declared
    assert {"ingestion", "warehouse", "models", "maintenance"} <= served_groups


def test_every_asset_check_of_the_definitions_is_served(built: Built, webserver: Webserver) -> None:
    declared = {(key.asset_key.to_user_string(), key.name) for key in built.defs.resolve_asset_graph().asset_check_keys}
    nodes = webserver.graphql(ASSET_CHECKS)["assetNodes"]
    checks = {
        ("/".join(node["assetKey"]["path"]), check["name"])
        for node in nodes
        if node["assetChecksOrError"]["__typename"] == "AssetChecks"
        for check in node["assetChecksOrError"]["checks"]
    }
    assert checks == declared
    assert (DOCS_SITE, EVERY_COLUMN_DESCRIBED) in checks


def test_jobs_schedules_and_sensors_are_served(built: Built, served: dict[str, Any]) -> None:
    jobs = {job["name"] for job in served["jobs"] if not job["name"].startswith("__")}
    declared_jobs = {job.name for job in built.defs.resolve_all_job_defs() if not job.name.startswith("__")}
    assert jobs == declared_jobs
    assert {DAILY_REFRESH, RETRAIN_MODELS, LAKE_MAINTENANCE, INGEST_LANDED_FILES} <= jobs
    schedules = {schedule["name"] for schedule in served["schedules"]}
    assert schedules == {schedule.name for schedule in built.defs.schedules or []}
    assert "daily_refresh_schedule" in schedules
    assert {sensor["name"] for sensor in served["sensors"]} == {sensor.name for sensor in built.defs.sensors or []}
    assert served["sensors"], "the landing-zone sensor is missing"


def test_a_materialization_launched_over_graphql_succeeds_and_is_recorded(
    built: Built, webserver: Webserver, served: dict[str, Any]
) -> None:
    params = {
        "selector": {
            "repositoryLocationName": served["location"],
            "repositoryName": served["name"],
            "jobName": LAKE_MAINTENANCE,
            "assetSelection": [{"path": [CHEAP_ASSET]}],
        },
        "runConfigData": {},
    }
    launched = webserver.graphql(LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    status = _wait_for_run(webserver, run_id)

    assert status == DagsterRunStatus.SUCCESS.value, webserver.log.read_text()[-4000:]
    event = built.instance.get_latest_materialization_event(AssetKey(CHEAP_ASSET))
    assert event is not None
    assert event.run_id == run_id


def _wait_for_run(webserver: Webserver, run_id: str) -> str:
    finished = {DagsterRunStatus.SUCCESS.value, DagsterRunStatus.FAILURE.value, DagsterRunStatus.CANCELED.value}
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        run = webserver.graphql(RUN_STATUS, {"runId": run_id})["runOrError"]
        assert run["__typename"] == "Run", run
        if run["status"] in finished:
            return str(run["status"])
        time.sleep(1)
    msg = f"run {run_id} did not finish within {RUN_TIMEOUT_S:.0f} s"
    raise AssertionError(msg)
