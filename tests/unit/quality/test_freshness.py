"""A mart's freshness verdict: fresh within a day and two hours, late until a day and a half, then stale."""

from __future__ import annotations

import datetime as dt

import pytest

from ecap_pipeline.quality.freshness import FAIL_AFTER, WARN_AFTER, Freshness, judge_freshness

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("hours_ago", "expected"),
    [
        (0.1, Freshness.FRESH),
        (26, Freshness.FRESH),
        (26.5, Freshness.LATE),
        (36, Freshness.LATE),
        (36.1, Freshness.STALE),
        (24 * 7, Freshness.STALE),
    ],
)
def test_verdict_follows_the_daily_windows(hours_ago: float, expected: Freshness) -> None:
    verdict = judge_freshness("revenue_daily", NOW - dt.timedelta(hours=hours_ago), NOW)
    assert verdict.freshness is expected
    assert verdict.passed is (expected is Freshness.FRESH)


def test_the_description_says_how_old_and_what_it_means() -> None:
    verdict = judge_freshness("fct_orders", NOW - dt.timedelta(hours=40), NOW)
    assert (
        verdict.description == "fct_orders last updated 40.0 h ago (over 36 h: the daily refresh did not run or failed)"
    )
    assert verdict.age == dt.timedelta(hours=40)


def test_a_mart_never_built_fails_and_says_so() -> None:
    verdict = judge_freshness("customer_rfm", None, NOW)
    assert (verdict.freshness, verdict.passed, verdict.age) == (Freshness.NEVER_BUILT, False, None)
    assert verdict.description == "customer_rfm has never been built"


def test_the_windows_fit_a_daily_refresh() -> None:
    assert dt.timedelta(days=1) < WARN_AFTER < FAIL_AFTER < dt.timedelta(days=2)


def test_a_warning_window_not_shorter_than_the_failure_window_is_refused() -> None:
    with pytest.raises(ValueError, match="warn_after"):
        judge_freshness("x", NOW, NOW, warn_after=dt.timedelta(hours=5), fail_after=dt.timedelta(hours=5))
