"""Both people-facing files at once, under their fixed names: what `ecap report` and the assets write."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ecap_pipeline.reports.executive import ReportResult, build_executive_report
from ecap_pipeline.reports.workbook import WorkbookResult, export_workbook

REPORT_FILE = "executive_report.html"
WORKBOOK_FILE = "ecap_marts.xlsx"


class Reports(NamedTuple):
    report: ReportResult
    workbook: WorkbookResult


def write_report(warehouse: Path, reports_dir: Path) -> ReportResult:
    """`<reports_dir>/executive_report.html` from the marts of `warehouse`."""
    return build_executive_report(warehouse, reports_dir / REPORT_FILE)


def write_workbook_export(warehouse: Path, reports_dir: Path) -> WorkbookResult:
    """`<reports_dir>/ecap_marts.xlsx` from the marts of `warehouse`."""
    return export_workbook(warehouse, reports_dir / WORKBOOK_FILE)


def write_reports(warehouse: Path, reports_dir: Path) -> Reports:
    """Both files, e.g. after a retrain so the score panels show the new scores."""
    return Reports(write_report(warehouse, reports_dir), write_workbook_export(warehouse, reports_dir))
