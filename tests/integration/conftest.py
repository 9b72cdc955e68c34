"""One tiny project built through Dagster, shared by the integration modules that only read it.

Building it (generation, Delta writes, `dbt build`) is most of an integration test's time, so the
modules that check what a build produced share this one; tests that rebuild or mutate bronze
make their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pytest
from dagster import DagsterInstance, Definitions, ExecuteInProcessResult
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from ecap_pipeline.definitions import build_definitions
from ecap_pipeline.instance import ensure_dagster_home
from ecap_pipeline.jobs import DAILY_REFRESH, RETRAIN_MODELS
from ecap_pipeline.settings import Settings
from tests.conftest import tiny_environment
from tests.integration.e2e_helpers import Webserver, dagster_webserver

START, END = "2025-09-08", "2025-10-07"
"""Thirty days: they cross a month end (two cohorts, two months), fill a 28-day moving average and
hold returns inside the window."""


class Built(NamedTuple):
    settings: Settings
    defs: Definitions
    instance: DagsterInstance
    result: ExecuteInProcessResult


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Every asset materialized for START..END on the tiny scale, in one run, as `ecap build` does."""
    data_dir = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as patch:
        tiny_environment(
            patch,
            data_dir,
            ECAP_START_DATE=START,
            ECAP_END_DATE=END,
            ECAP_CHURN_HORIZON_DAYS="7",
            # 30 tiny days at 1% hold ~3 fraud orders, too few to train and judge a fraud model; at 15%
            # they hold 35, and no day's volume is yet skewed enough by fraud bursts to trip row_volume.
            ECAP_FRAUD_RATE="0.15",
        )
        settings = Settings.from_env()
        ensure_dagster_home(settings.data_dir)
        defs = build_definitions(settings)
        with DagsterInstance.get() as instance:
            result = defs.resolve_job_def(DAILY_REFRESH).execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags={
                    ASSET_PARTITION_RANGE_START_TAG: settings.start_date.isoformat(),
                    ASSET_PARTITION_RANGE_END_TAG: settings.end_date.isoformat(),
                },
            )
            yield Built(settings, defs, instance, result)


@pytest.fixture(scope="session")
def retrained(built: Built) -> ExecuteInProcessResult:
    """The `retrain_models` job run once on the built shop, as `ecap build` runs it after the refresh.

    Shared by every model's tests: each run stores a new version of every model, so one run keeps
    the registry's contents predictable (one version each).
    """
    return built.defs.resolve_job_def(RETRAIN_MODELS).execute_in_process(instance=built.instance, raise_on_error=False)


@pytest.fixture(scope="session")
def webserver(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    """`dagster-webserver` on a free port over the built project, shared by the GraphQL and browser tests."""
    with dagster_webserver(built.settings, tmp_path_factory.mktemp("webserver")) as server:
        yield server
