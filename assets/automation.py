"""When assets refresh on their own, evaluated by the automation sensor: marts and scores follow their inputs."""

from dagster import AutomationCondition

WHEN_INPUTS_UPDATE = (
    AutomationCondition.any_deps_updated().since_last_handled()
    & ~AutomationCondition.any_deps_in_progress()
    & ~AutomationCondition.in_progress()
).with_label("when_inputs_update")
"""For dbt models: rebuild once any input was updated (a landed file, a backfilled day, an upstream model).

Not `eager()`: a model reads every day of bronze, and eager waits until no upstream day is missing,
which never holds when only part of the calendar was generated or retention dropped old days; nor
does a model with no new input rebuild just because it has never been built (the first build is
the daily refresh's, which lands bronze first).
"""

SCORES_FOLLOW_INPUTS = AutomationCondition.eager()
"""For score tables: rescore once the marts or a promoted model change, never while either is missing."""

FRESHNESS_CHECK_CRON = "0 * * * *"
"""The mart freshness checks run every hour, so a refresh that never ran is noticed the same morning."""

HOURLY = AutomationCondition.cron_tick_passed(FRESHNESS_CHECK_CRON).since_last_handled().with_label("hourly")
