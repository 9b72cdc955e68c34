"""The daily refresh writes the executive report and the workbook from the marts it just built."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import openpyxl
import pytest
from dagster import AssetKey
from playwright.sync_api import Route, sync_playwright
from plotly.offline import get_plotlyjs

from assets.reports import EXCEL_EXPORT, EXECUTIVE_REPORT
from ecap_pipeline.reports.executive import PANELS
from ecap_pipeline.reports.outputs import REPORT_FILE, WORKBOOK_FILE
from ecap_pipeline.reports.workbook import WORKBOOK_MARTS
from tests.integration.conftest import Built

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
_EXTERNAL_LOAD = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_daily_refresh_materializes_both_reports(built: Built) -> None:
    materialized = {event.asset_key.to_user_string() for event in built.result.get_asset_materialization_events()}
    assert {EXECUTIVE_REPORT, EXCEL_EXPORT} <= materialized
    event = built.instance.get_latest_materialization_event(AssetKey(EXECUTIVE_REPORT))
    assert event is not None
    metadata = event.asset_materialization.metadata
    assert metadata["path"].value == str(built.settings.reports_dir / REPORT_FILE)
    assert metadata["size bytes"].value == (built.settings.reports_dir / REPORT_FILE).stat().st_size


def test_report_is_one_self_contained_page_with_every_panel(built: Built) -> None:
    html = (built.settings.reports_dir / REPORT_FILE).read_text()
    assert html.count(get_plotlyjs()) == 1  # embedded once, not once per figure
    # plotly.js itself holds link targets (its modebar's "about" link) that load nothing; the page around it
    # must name no address at all
    ours = html.replace(get_plotlyjs(), "")
    assert _EXTERNAL_LOAD.findall(ours) == []
    assert re.findall(r"https?://", ours) == []
    for query, _ in PANELS:
        assert f"<h2>{query.title}</h2>" in html, query.title
    assert "<h2>Key figures</h2>" in html
    # daily_refresh does not train models, so the score panels say so rather than break the page
    assert "no churn model has been promoted yet" in html
    drawn = html.count("Plotly.newPlot")
    assert drawn >= len(PANELS) - 2


def test_workbook_sheets_hold_every_row_of_their_marts_under_a_bold_frozen_header(built: Built) -> None:
    workbook = openpyxl.load_workbook(built.settings.reports_dir / WORKBOOK_FILE, read_only=False)
    assert workbook.sheetnames == list(WORKBOOK_MARTS)
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        for mart in WORKBOOK_MARTS:
            (rows,) = connection.execute(f"select count(*) from {mart}").fetchone()
            columns = [name for (name,) in connection.execute(f"select column_name from (describe {mart})").fetchall()]
            sheet = workbook[mart]
            assert sheet.max_row - 1 == rows, mart
            assert [cell.value for cell in sheet[1]] == columns, mart
            assert all(cell.font.bold for cell in sheet[1]), mart
            assert sheet.freeze_panes == "A2", mart


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (Debian package `chromium`)")
def test_report_renders_offline_in_a_browser_without_a_single_network_request(built: Built) -> None:
    page_file = built.settings.reports_dir / REPORT_FILE
    outside: list[str] = []
    errors: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(page_file.as_uri())
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
            page.wait_for_timeout(1500)
            plots = page.locator(".js-plotly-plot").count()
            countries = page.locator(".choroplethlocation").count()
        finally:
            browser.close()
    assert outside == []
    assert errors == []
    assert plots == (built.settings.reports_dir / REPORT_FILE).read_text().count("Plotly.newPlot")
    assert countries >= 12  # the grey outline of every shop country, plus those with revenue
