"""Progress per stage of a build, read live from the Dagster event stream of the runs `ecap build` starts.

A build is one run of `daily_refresh` and one of `retrain_models`; each step of those runs belongs
to a stage (bronze, warehouse, quality, docs, models) by the asset group of what it materializes.
A Dagster logger sees every step start and end as it happens, so the user sees each stage begin
(numbered in the order they begin, out of the stages this deployment has) and, at the end, how
long each took and which steps did not complete.
"""

import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from dagster import DagsterEvent, DagsterEventType, Definitions, LoggerDefinition, logger

from assets.docs import DOCS_SITE
from ecap_pipeline.jobs import MAINTENANCE_GROUP, MODELS_GROUP

STAGES: dict[str, str] = {
    "bronze": "generate the days and land them in bronze (Delta Lake)",
    "quality": "quality checks on bronze (great-expectations, row volume, freshness)",
    "warehouse": "dbt build: staging, marts and dbt tests (DuckDB)",
    "docs": "dbt docs site",
    "models": "train, judge and register the models, score with promoted versions",
    "reports": "the reports for people (asset group reports)",
}
"""Every stage a deployment may have, in the order a build usually runs them, with what it does."""
_GROUP_STAGES = {"ingestion": "bronze", MODELS_GROUP: "models", "reports": "reports"}


def stages_by_step(defs: Definitions) -> dict[str, str]:
    """The stage of every step (op name) of `defs`; maintenance steps belong to none."""
    stages: dict[str, str] = {}
    for assets_def in defs.resolve_asset_graph().assets_defs:
        groups = set(assets_def.group_names_by_key.values())
        if MAINTENANCE_GROUP in groups:
            continue
        if not assets_def.keys:
            stage = "quality"
        elif any(key.to_user_string() == DOCS_SITE for key in assets_def.keys):
            stage = "docs"
        else:
            stage = next((_GROUP_STAGES[group] for group in groups if group in _GROUP_STAGES), "warehouse")
        stages[assets_def.node_def.name] = stage
    return stages


@dataclass
class StageProgress:
    """Stages begun, their step counts and time, fed with Dagster events."""

    steps: dict[str, str]
    out: TextIO = field(default_factory=lambda: sys.stdout)
    started_at: dict[str, float] = field(default_factory=dict)
    finished_at: dict[str, float] = field(default_factory=dict)
    succeeded: dict[str, int] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)

    def on_event(self, event: DagsterEvent) -> None:
        stage = self.steps.get(event.step_key or "")
        if stage is None:
            return
        now = time.perf_counter()
        if event.event_type == DagsterEventType.STEP_START and stage not in self.started_at:
            self.started_at[stage] = now
            total = len(set(self.steps.values()))
            print(f"[{len(self.started_at)}/{total}] {stage}: {STAGES[stage]}", file=self.out, flush=True)
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            self.succeeded[stage] = self.succeeded.get(stage, 0) + 1
            self.finished_at[stage] = now
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            self.failed.setdefault(stage, []).append(event.step_key or "?")
            self.finished_at[stage] = now

    def table(self) -> str:
        """One line per stage: steps done, failed steps, seconds from its first start to its last end."""
        lines = ["Stages:"]
        for stage in (stage for stage in STAGES if stage in self.steps.values()):
            if stage not in self.started_at:
                lines.append(f"  {stage:<10} not run")
                continue
            seconds = self.finished_at.get(stage, self.started_at[stage]) - self.started_at[stage]
            failed = self.failed.get(stage, [])
            verdict = f"did not complete: {', '.join(failed)}" if failed else "ok"
            lines.append(f"  {stage:<10} {self.succeeded.get(stage, 0):>3} step(s) {seconds:>7.1f} s  {verdict}")
        return "\n".join(lines)

    def logger_def(self) -> LoggerDefinition:
        """A Dagster logger that feeds this progress with the run's events as they happen."""
        progress = self

        class _Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                event = getattr(record, "dagster_event", None)
                if isinstance(event, DagsterEvent):
                    progress.on_event(event)

        @logger(description="Prints each build stage as it begins.")
        def ecap_progress(_init_context: object) -> logging.Logger:
            stage_logger = logging.Logger("ecap.progress", level=logging.DEBUG)
            stage_logger.addHandler(_Handler())
            return stage_logger

        return ecap_progress
