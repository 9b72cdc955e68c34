"""Schedules request what they must, jobs select what they must, assets carry their automation and freshness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from dagster import (
    AssetKey,
    AssetMaterialization,
    AssetSelection,
    AutomationCondition,
    DagsterInstance,
    Definitions,
    EvaluateAutomationConditionsResult,
    RunRequest,
    asset,
    build_schedule_context,
    evaluate_automation_conditions,
)

from assets.freshness import FRESHNESS_CHECK, KEY_MARTS
from ecap_pipeline.definitions import defs as load_defs
from ecap_pipeline.jobs import FULL_REBUILD, REPORTS_GROUP, full_rebuild_job
from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.schedules import DAILY_REFRESH_SCHEDULE, RETRAIN_MODELS_WEEKLY, SCHEDULE_TAG
from ecap_pipeline.summary import MARTS
from tests.conftest import tiny_environment

SCORES = ("churn_scores", "clv_predictions", "fraud_alerts")
_SENSOR_TARGET = AssetSelection.all() | AssetSelection.all_asset_checks()
"""What the automation sensor evaluates (given explicitly: the tester's default selection warns)."""


@pytest.fixture(scope="module")
def defs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Definitions]:
    with pytest.MonkeyPatch.context() as patch:
        tiny_environment(patch, tmp_path_factory.mktemp("data"))
        yield load_defs()


def _requests(defs: Definitions, name: str, at: dt.datetime) -> list[RunRequest]:
    schedule = defs.resolve_schedule_def(name)
    context = build_schedule_context(scheduled_execution_time=at, repository_def=defs.get_repository_def())
    return list(schedule.evaluate_tick(context).run_requests or [])


def test_daily_schedule_requests_yesterdays_partition_of_the_daily_refresh(defs: Definitions) -> None:
    (request,) = _requests(defs, DAILY_REFRESH_SCHEDULE, dt.datetime(2025, 9, 10, 2, 0, tzinfo=dt.UTC))
    assert (request.partition_key, request.run_key) == ("2025-09-09", "2025-09-09")
    assert request.tags[SCHEDULE_TAG] == "daily"
    assert defs.resolve_schedule_def(DAILY_REFRESH_SCHEDULE).job_name == "daily_refresh"


def test_daily_schedule_on_the_first_of_the_month_requests_the_last_day_of_the_previous(defs: Definitions) -> None:
    (request,) = _requests(defs, DAILY_REFRESH_SCHEDULE, dt.datetime(2025, 10, 1, 2, 0, tzinfo=dt.UTC))
    assert request.partition_key == "2025-09-30"


def test_weekly_retrain_runs_sundays_at_three_utc_on_the_whole_history(defs: Definitions) -> None:
    schedule = defs.resolve_schedule_def(RETRAIN_MODELS_WEEKLY)
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 3 * * 0",
        "UTC",
        "retrain_models",
    )
    sunday = dt.datetime(2025, 10, 5, 3, 0, tzinfo=dt.UTC)
    assert sunday.weekday() == 6
    (request,) = _requests(defs, RETRAIN_MODELS_WEEKLY, sunday)
    assert request.partition_key is None
    assert request.tags[SCHEDULE_TAG] == "weekly"


def test_daily_schedule_skips_before_the_first_day_is_complete(defs: Definitions) -> None:
    schedule = defs.resolve_schedule_def(DAILY_REFRESH_SCHEDULE)
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2025, 9, 1, 2, 0, tzinfo=dt.UTC), repository_def=defs.get_repository_def()
    )
    result = schedule.evaluate_tick(context)
    assert not result.run_requests
    assert "2025-09-01" in (result.skip_message or "")


def _group(defs: Definitions, group: str) -> set[AssetKey]:
    graph = defs.resolve_asset_graph()
    return {key for key in graph.materializable_asset_keys if graph.get(key).group_name == group}


def _selected(defs: Definitions, job: str) -> set[AssetKey]:
    return set(defs.resolve_job_def(job).asset_layer.selected_asset_keys)


def test_full_rebuild_selects_every_bronze_table_mart_model_score_and_report(defs: Definitions) -> None:
    selected = _selected(defs, FULL_REBUILD)
    bronze = {AssetKey(["bronze", table]) for table in BRONZE_TABLES}
    marts = {AssetKey(name) for name in MARTS}
    models = {AssetKey(name) for name in ("churn_model", "clv_model", "fraud_model", *SCORES)}
    reports = _group(defs, REPORTS_GROUP)
    assert reports  # the report assets exist, and are selected without being named
    assert bronze | marts | models | reports <= selected
    assert not any(key.path[0].startswith("lake_") for key in selected)  # maintenance stays in its own job


def test_full_rebuild_is_partitioned_so_it_backfills_every_day(defs: Definitions) -> None:
    job = defs.resolve_job_def(FULL_REBUILD)
    assert job.partitions_def is not None
    assert job.partitions_def.get_first_partition_key() == "2025-09-01"


def test_an_asset_added_later_to_the_reports_group_joins_full_rebuild() -> None:
    @asset(group_name=REPORTS_GROUP)
    def executive_report() -> None:
        """A report another engineer adds later."""

    @asset(group_name="maintenance")
    def vacuum() -> None:
        """Not part of a rebuild."""

    defs = Definitions(assets=[executive_report, vacuum], jobs=[full_rebuild_job()])
    assert _selected(defs, FULL_REBUILD) == {AssetKey("executive_report")}


def test_daily_refresh_leaves_models_and_maintenance_to_their_own_jobs(defs: Definitions) -> None:
    daily, retrain, maintenance = (
        _selected(defs, job) for job in ("daily_refresh", "retrain_models", "lake_maintenance")
    )
    assert {AssetKey(name) for name in MARTS} <= daily
    assert not daily & retrain and not daily & maintenance
    assert {AssetKey(name) for name in SCORES} <= retrain
    assert maintenance == {AssetKey(name) for name in ("lake_retention", "lake_compaction", "lake_vacuum")}


def test_every_dbt_model_and_score_follows_its_inputs_and_seeds_do_not(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    for name in (*MARTS, "stg_bronze__orders", "fct_orders"):
        condition = graph.get(AssetKey(name)).automation_condition
        assert condition is not None and condition.get_label() == "when_inputs_update", name
    for name in SCORES:
        assert graph.get(AssetKey(name)).automation_condition == AutomationCondition.eager(), name
    for name in ("churn_model", "clv_model", "fraud_model"):  # models retrain on the weekly schedule only
        assert graph.get(AssetKey(name)).automation_condition is None, name


def test_key_marts_carry_a_freshness_policy_and_a_freshness_check(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    checked = {key.asset_key for key in graph.asset_check_keys if key.name == FRESHNESS_CHECK}
    assert checked == {AssetKey(name) for name in KEY_MARTS}
    for name in KEY_MARTS:
        assert graph.get(AssetKey(name)).freshness_policy is not None, name
    assert graph.get(AssetKey("funnel_daily")).freshness_policy is None


def test_the_automation_sensor_targets_every_asset_and_is_on_by_default(defs: Definitions) -> None:
    sensor = defs.resolve_sensor_def("ecap_automation_sensor")
    assert sensor.asset_selection == AssetSelection.all()
    assert sensor.default_status.value == "RUNNING"


@pytest.fixture
def instance() -> Iterator[DagsterInstance]:
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _report(instance: DagsterInstance, *keys: AssetKey, partition: str | None = None) -> None:
    for key in keys:
        instance.report_runless_asset_event(AssetMaterialization(asset_key=key, partition=partition))


def _requested(result: EvaluateAutomationConditionsResult, graph_keys: set[AssetKey]) -> set[str]:
    return {key.to_user_string() for key in graph_keys if result.get_num_requested(key)}


def test_a_new_bronze_day_rebuilds_the_models_downstream_of_it_and_nothing_else(
    defs: Definitions, instance: DagsterInstance
) -> None:
    keys = set(defs.resolve_asset_graph().materializable_asset_keys)
    first = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=_SENSOR_TARGET)
    assert _requested(first, keys) == set()  # a fresh deployment does not build on its own
    _report(instance, AssetKey(["bronze", "orders"]), partition="2025-09-02")
    second = evaluate_automation_conditions(
        defs=defs, instance=instance, asset_selection=_SENSOR_TARGET, cursor=first.cursor
    )
    requested = _requested(second, keys)
    assert {"stg_bronze__orders", "fct_orders", "revenue_daily", "customer_rfm"} <= requested
    assert "stg_bronze__sessions" not in requested  # its input did not change
    assert not requested & {"churn_model", "churn_scores", *SCORES}  # no trained model yet: scores wait


def test_scores_follow_the_marts_once_models_exist_but_models_wait_for_their_schedule(
    defs: Definitions, instance: DagsterInstance
) -> None:
    graph = defs.resolve_asset_graph()
    keys = set(graph.materializable_asset_keys)
    _report(instance, *(key for key in keys if graph.get(key).partitions_def is None))
    first = evaluate_automation_conditions(defs=defs, instance=instance, asset_selection=_SENSOR_TARGET)
    _report(instance, AssetKey("fct_orders"))
    second = evaluate_automation_conditions(
        defs=defs, instance=instance, asset_selection=_SENSOR_TARGET, cursor=first.cursor
    )
    requested = _requested(second, keys)
    assert {"churn_scores", "clv_predictions", "attribution_credits", "seasonal_indexes"} <= requested
    assert not requested & {"churn_model", "clv_model", "fraud_model", "fct_orders", "stg_bronze__orders"}
