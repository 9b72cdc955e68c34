"""Run the bronze suites with great-expectations and build the Data Docs site.

The context is ephemeral (in memory, nothing written but the Data Docs), with analytics and
progress bars off: a pipeline step must not phone home or draw bars into the run log.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import great_expectations as gx
import polars as pl
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from ecap_pipeline.quality.frames import to_pandas
from ecap_pipeline.quality.outcomes import MAX_EXAMPLES, ExpectationOutcome, TableOutcome
from ecap_pipeline.quality.rules import RULES
from ecap_pipeline.quality.suites import SEVERITY_OF, build_suite

DOCS_SITE = "quality"
_RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
_COLUMN_ARGUMENTS = ("column", "column_A", "column_B")


def validate_tables(
    frames: Mapping[str, pl.DataFrame], *, run_name: str, docs_dir: Path | None = None
) -> dict[str, TableOutcome]:
    """Validate each table's frame (with its check columns) against its suite.

    `run_name` labels the validations (the Dagster run id); with `docs_dir`, the Data Docs site of
    these validations replaces whatever was there.
    """
    context = _ephemeral_context()
    source = context.data_sources.add_pandas("bronze")
    outcomes: dict[str, TableOutcome] = {}
    for table, frame in frames.items():
        batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("run")
        suite = context.suites.add(build_suite(table))
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite))
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(name=suite.name, validation_definitions=[definition], result_format=_RESULT_FORMAT)
        )
        with warnings.catch_warnings():
            # great-expectations compares timezone-aware columns through `Series.values`, which
            # pandas 3.1 deprecates; the values it gets (UTC instants) are still right.
            warnings.filterwarnings("ignore", message="Series.values returning an ndarray that drops timezone")
            result = checkpoint.run(
                batch_parameters={"dataframe": to_pandas(frame)}, run_id=RunIdentifier(run_name=run_name)
            )
        (validation,) = result.run_results.values()
        outcomes[table] = _table_outcome(table, frame, validation)
    if docs_dir is not None:
        build_docs(context, docs_dir)
    return outcomes


def build_docs(context: AbstractDataContext, docs_dir: Path) -> Path:
    """Render the context's validations and suites as a static site in `docs_dir`; its `index.html`."""
    shutil.rmtree(docs_dir, ignore_errors=True)
    docs_dir.mkdir(parents=True)
    context.add_data_docs_site(
        site_name=DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        },
    )
    context.build_data_docs(site_names=[DOCS_SITE])
    return docs_dir / "index.html"


def _ephemeral_context() -> AbstractDataContext:
    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _table_outcome(table: str, frame: pl.DataFrame, validation: ExpectationSuiteValidationResult) -> TableOutcome:
    return TableOutcome(
        table=table,
        suite=validation.suite_name,
        rows=frame.height,
        expectations=tuple(_expectation_outcome(table, frame, result) for result in validation.results),
    )


def _expectation_outcome(table: str, frame: pl.DataFrame, result: ExpectationValidationResult) -> ExpectationOutcome:
    config = result.expectation_config
    columns = _columns(config.kwargs)
    details: dict[str, Any] = result.result or {}
    error = _exception_message(result.exception_info)
    observed = error or ("" if "observed_value" not in details else str(details["observed_value"]))
    indexes = [index for index in details.get("partial_unexpected_index_list") or [] if isinstance(index, int)]
    shown = list(dict.fromkeys([*RULES[table].key, *columns]))
    examples = frame[indexes[:MAX_EXAMPLES]].select(shown).to_dicts() if indexes else []
    return ExpectationOutcome(
        table=table,
        expectation=config.type,
        columns=columns,
        description=config.description or config.type,
        severity=SEVERITY_OF[config.severity],
        passed=bool(result.success) and not error,
        checked_rows=int(details.get("element_count", frame.height)),
        failing_rows=int(details.get("unexpected_count") or 0),
        observed=observed,
        examples=tuple(examples),
    )


def _columns(kwargs: Mapping[str, Any]) -> tuple[str, ...]:
    named = [kwargs[argument] for argument in _COLUMN_ARGUMENTS if kwargs.get(argument)]
    return tuple(named) if named else tuple(kwargs.get("column_list") or ())


def _exception_message(info: Mapping[str, Any] | None) -> str:
    """The error great-expectations caught while evaluating an expectation, if any."""
    if not info:
        return ""
    entries = info.values() if all(isinstance(value, Mapping) for value in info.values()) else [info]
    messages = [str(entry.get("exception_message")) for entry in entries if entry.get("raised_exception")]
    return "; ".join(messages)
