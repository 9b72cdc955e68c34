"""The report and the workbook written from a small hand-made warehouse, including missing and empty marts."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ecap_pipeline.reports.executive import PANELS, build_executive_report
from ecap_pipeline.reports.outputs import REPORT_FILE, WORKBOOK_FILE, write_reports
from ecap_pipeline.reports.workbook import export_workbook


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse with the revenue marts, an empty fraud_alerts table and no churn_scores at all."""
    path = tmp_path / "ecap.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            """
            create table revenue_trend_daily as
            select date '2025-09-01' + cast(i as integer) as date_day, cast(100 + i as decimal(18, 2)) as net_revenue,
                cast(null as decimal(18, 2)) as net_revenue_7d_moving_avg,
                cast(null as decimal(18, 2)) as net_revenue_28d_moving_avg
            from range(10) as t(i);
            create table revenue_by_dimension_weekly as
            select * from (values
                (date '2025-09-01', date '2025-09-07', true, 'total', 'all', 10, 8, 1000.00, 400.00),
                (date '2025-09-08', date '2025-09-14', true, 'total', 'all', 12, 9, 1320.00, 462.00),
                (date '2025-09-15', date '2025-09-21', false, 'total', 'all', 2, 2, 150.00, 60.00)
            ) as t(period_start, period_end, is_complete_period, dimension, dimension_value, orders, customers,
                net_revenue, margin);
            create table fraud_alerts (priority varchar, amount double, ordered_at timestamptz);
            create table customer_rfm as
            select 'c' || i as customer_id, 'Champions' as segment, cast(i * 10 as decimal(18, 2)) as monetary,
                timestamptz '2025-09-01 10:00:00+00' as last_seen_at
            from range(7) as t(i);
            """
        )
    return path


def test_report_shows_what_the_marts_hold_and_says_why_the_rest_is_missing(warehouse: Path, tmp_path: Path) -> None:
    result = build_executive_report(warehouse, tmp_path / "reports" / "executive_report.html")
    panels = {panel.title: panel for panel in result.panels}
    html = result.path.read_text()

    assert len(panels) == len(PANELS)
    assert panels["Revenue trend"].available
    assert panels["Revenue trend"].rows == 10
    assert panels["Customer segments (RFM)"].available
    churn = panels["Churn risk distribution"]
    assert churn.note == (
        "not available: the warehouse ecap.duckdb has no table churn_scores; "
        "no churn model has been promoted yet (run the retrain_models job)"
    )
    assert panels["Fraud alerts by priority"].note.startswith("not available: fraud_alerts has no rows to show")
    assert "no table churn_scores" in html
    assert result.kpis is not None
    assert result.kpis.by_name()["Net revenue"].value == 1320.0
    assert result.kpis.by_name()["Net revenue"].delta == pytest.approx(0.32)
    assert "+32.0%" in html
    assert html.count("Plotly.newPlot") == sum(panel.available for panel in result.panels)
    assert len(re.findall(r"<script type=\"text/javascript\">/\*\*\s*\* plotly\.js", html)) == 1
    assert result.size_bytes == result.path.stat().st_size
    assert not list(result.path.parent.glob("*.partial"))


def test_score_panels_appear_once_the_models_have_published_scores(warehouse: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            """
            create table churn_scores as select * from (values
                ('a', 0.01, 'low'), ('b', 0.04, 'low'), ('c', 0.42, 'medium'), ('d', 1.0, 'high'), ('e', null, null)
            ) as t(customer_id, churn_probability, risk_band);
            insert into fraud_alerts values ('high', 120.0, now()), ('high', 80.0, now()), ('critical', 999.5, now());
            """
        )
    panels = {panel.title: panel for panel in build_executive_report(warehouse, tmp_path / "r.html").panels}

    churn_bars = panels["Churn risk distribution"].figure.data
    assert [(bars.name, list(bars.x), list(bars.y)) for bars in churn_bars] == [
        ("low risk", [0.025], [2]),  # 0.01 and 0.04 share the first 5% bin
        ("medium risk", [0.425], [1]),
        ("high risk", [0.975], [1]),  # a probability of exactly 1 falls in the last bin, not past it
    ]
    (fraud_bars,) = panels["Fraud alerts by priority"].figure.data
    assert list(fraud_bars.x) == ["critical", "high"]
    assert list(fraud_bars.y) == [1, 2]
    assert list(fraud_bars.customdata) == [999.5, 200.0]


def test_report_of_a_warehouse_without_marts_is_all_notes(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    result = build_executive_report(path, tmp_path / "report.html")
    assert result.kpis is None
    assert not any(panel.available for panel in result.panels)
    assert "not available: the warehouse empty.duckdb has no table revenue_by_dimension_weekly" in (
        result.path.read_text()
    )


def test_report_of_a_missing_warehouse_says_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist yet: build it first"):
        build_executive_report(tmp_path / "nowhere.duckdb", tmp_path / "report.html")


def test_workbook_holds_every_row_of_each_mart_under_a_bold_frozen_header(warehouse: Path, tmp_path: Path) -> None:
    output = tmp_path / "reports" / "marts.xlsx"
    result = export_workbook(warehouse, output, ("customer_rfm", "revenue_trend_daily", "churn_scores"))

    assert result.sheets == {"customer_rfm": 7, "revenue_trend_daily": 10}
    assert result.missing == ("churn_scores",)
    workbook = openpyxl.load_workbook(output)
    assert workbook.sheetnames == ["customer_rfm", "revenue_trend_daily"]
    sheet = workbook["customer_rfm"]
    assert sheet.max_row == 1 + 7
    assert [cell.value for cell in sheet[1]] == ["customer_id", "segment", "monetary", "last_seen_at"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["C8"].value == 60.0  # decimal written as a number
    assert sheet["D2"].value.isoformat() == "2025-09-01T10:00:00"  # a UTC timestamp, as Excel has no zones
    assert workbook["revenue_trend_daily"]["A2"].value.date().isoformat() == "2025-09-01"


def test_write_reports_puts_both_files_under_their_fixed_names(warehouse: Path, tmp_path: Path) -> None:
    reports = write_reports(warehouse, tmp_path / "reports")
    assert reports.report.path == tmp_path / "reports" / REPORT_FILE
    assert reports.workbook.path == tmp_path / "reports" / WORKBOOK_FILE
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == sorted([REPORT_FILE, WORKBOOK_FILE])
    assert reports.workbook.sheets == {"revenue_trend_daily": 10, "customer_rfm": 7}
