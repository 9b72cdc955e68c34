"""What a validation found, in plain terms: which rule, how many rows broke it, a few of them.

Kept free of great-expectations types so the Dagster checks, the logs and the tests read the
same small records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecap_pipeline.quality.rules import Severity

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation on one table's batch of rows."""

    table: str
    expectation: str
    columns: tuple[str, ...]
    description: str
    severity: Severity
    passed: bool
    checked_rows: int
    failing_rows: int
    """Rows that broke the rule; 0 for table-level rules (columns, types), which report `observed`."""
    observed: str
    examples: tuple[Mapping[str, Any], ...]
    """Up to MAX_EXAMPLES failing rows: their key columns and the columns the rule reads."""

    @property
    def name(self) -> str:
        """`expect_x(col, ...)`: the expectation and the columns it reads."""
        return f"{self.expectation}({', '.join(self.columns)})"

    def summary(self) -> str:
        """One line for a log or a check description: table, rule, count and the first example."""
        if self.passed:
            return f"{self.table}: {self.name} passed"
        if self.failing_rows:
            broke = f"{self.failing_rows} of {self.checked_rows} row(s) break it"
            example = f"; e.g. {_row_text(self.examples[0])}" if self.examples else ""
        else:
            broke = f"observed {self.observed}"
            example = ""
        return f"{self.table}: {self.name} failed ({self.description}): {broke}{example}"


@dataclass(frozen=True)
class TableOutcome:
    """Every expectation of one table's suite on the validated rows."""

    table: str
    suite: str
    rows: int
    expectations: tuple[ExpectationOutcome, ...]

    def of_severity(self, severity: Severity) -> tuple[ExpectationOutcome, ...]:
        """The expectations of `severity`."""
        return tuple(outcome for outcome in self.expectations if outcome.severity == severity)

    def failures(self, severity: Severity) -> tuple[ExpectationOutcome, ...]:
        """The failed expectations of `severity`."""
        return tuple(outcome for outcome in self.of_severity(severity) if not outcome.passed)


def failures_markdown(failures: Sequence[ExpectationOutcome]) -> str:
    """A markdown table of failed expectations (rule, failing rows, observed) and their examples."""
    if not failures:
        return "_none_"
    lines = ["| expectation | rule | failing rows | observed |", "| --- | --- | --- | --- |"]
    lines += [
        f"| `{outcome.name}` | {outcome.description} | {outcome.failing_rows} of {outcome.checked_rows} "
        f"| {outcome.observed or ''} |"
        for outcome in failures
    ]
    for outcome in failures:
        if outcome.examples:
            lines += ["", f"Examples for `{outcome.name}`:", "", *_examples_table(outcome.examples)]
    return "\n".join(lines)


def _examples_table(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns = list(rows[0])
    return [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
        *("| " + " | ".join(_cell(row.get(column)) for column in columns) + " |" for row in rows),
    ]


def _row_text(row: Mapping[str, Any]) -> str:
    return ", ".join(f"{column}={_cell(value)}" for column, value in row.items())


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|")
