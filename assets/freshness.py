"""Freshness of the marts people read every morning: a policy the UI tracks and checks that say why."""

import datetime as dt
from collections.abc import Iterator

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    FreshnessPolicy,
    MetadataValue,
    multi_asset_check,
)

from assets.automation import HOURLY
from ecap_pipeline.quality.freshness import FAIL_AFTER, WARN_AFTER, Freshness, judge_freshness

KEY_MARTS: tuple[str, ...] = ("revenue_daily", "fct_orders", "customer_rfm")
"""What the executive report, the analysts' notebooks and the models read first."""

FRESHNESS_CHECK = "freshness"

MART_FRESHNESS_POLICY = FreshnessPolicy.time_window(fail_window=FAIL_AFTER, warn_window=WARN_AFTER)
"""The same windows as the checks, shown as the asset's freshness state in the Dagster UI."""


def build_freshness_checks() -> AssetChecksDefinition:
    """One `freshness` check per key mart: it passes right after a build and fails once a refresh is missed."""
    specs = [
        AssetCheckSpec(
            FRESHNESS_CHECK,
            asset=AssetKey(name),
            description=(
                f"Last update within {WARN_AFTER.total_seconds() / 3600:g} h (WARN past it, ERROR past "
                f"{FAIL_AFTER.total_seconds() / 3600:g} h); runs after each build and every hour."
            ),
            automation_condition=HOURLY,
        )
        for name in KEY_MARTS
    ]

    @multi_asset_check(specs=specs, name="mart_freshness", can_subset=True)
    def mart_freshness(context: AssetCheckExecutionContext) -> Iterator[AssetCheckResult]:
        now = dt.datetime.now(tz=dt.UTC)
        for check_key in sorted(context.selected_asset_check_keys, key=lambda key: key.asset_key.to_user_string()):
            yield _result(context, check_key, now)

    return mart_freshness


def _result(context: AssetCheckExecutionContext, check_key: AssetCheckKey, now: dt.datetime) -> AssetCheckResult:
    key = check_key.asset_key
    event = context.instance.get_latest_materialization_event(key)
    last_updated = dt.datetime.fromtimestamp(event.timestamp, tz=dt.UTC) if event else None
    verdict = judge_freshness(key.to_user_string(), last_updated, now)
    metadata: dict[str, object] = {"freshness": verdict.freshness.value}
    if last_updated is not None and verdict.age is not None:
        metadata["last_updated"] = MetadataValue.timestamp(last_updated)
        metadata["age_hours"] = round(verdict.age.total_seconds() / 3600, 2)
    return AssetCheckResult(
        asset_key=key,
        check_name=check_key.name,
        passed=verdict.passed,
        severity=AssetCheckSeverity.WARN if verdict.freshness is Freshness.LATE else AssetCheckSeverity.ERROR,
        description=verdict.description,
        metadata=metadata,
    )
