"""What people open in a browser renders there, offline, without JavaScript errors.

Headless Chromium from the OS packages opens each page of the tiny built project; every
non-localhost request is blocked, and each page's screenshot is kept (see `artifacts_dir`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dagster import AssetKey
from playwright.sync_api import Browser, sync_playwright

from assets.docs import DOCS_SITE
from tests.integration.browser_helpers import (
    BLOCKED_REQUEST_ERROR,
    NOT_FOUND_ERROR,
    check_page,
    find_chromium,
    is_benign,
)
from tests.integration.conftest import Built
from tests.integration.e2e_helpers import Webserver, static_site

pytestmark = pytest.mark.integration

EXECUTIVE_REPORT = AssetKey("executive_report")
DOCS_MODEL = "customer_rfm"
"""A mart every build has: the docs site is rendered when its page shows it and the model tree lists it."""
LOCATION = "ecap_pipeline.definitions"
"""The code location workspace.yaml loads (a python_module location is named after its module)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module, closed before Playwright itself stops."""
    executable, reason = find_chromium()
    if executable is None:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=["--no-sandbox"], headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def test_dbt_docs_site_shows_a_mart_without_errors(built: Built, browser: Browser) -> None:
    site = built.settings.data_dir / "docs" / "dbt"
    assert (site / "static_index.html").is_file(), "the build did not write the dbt docs site"
    with static_site(site) as base:
        report = check_page(
            browser,
            f"{base}/static_index.html#!/model/model.ecap.{DOCS_MODEL}",
            ready=[f"h1 >> text={DOCS_MODEL}", f".filename-normal >> text={DOCS_MODEL}"],
            name="dbt_docs_site",
        )
    assert report.errors == []
    assert report.screenshot.stat().st_size > 0


def test_dagster_asset_graph_draws_the_docs_asset_without_errors(webserver: Webserver, browser: Browser) -> None:
    # what a user's "Skip" on the first-visit community dialog records, so the dialog does not cover the graph
    webserver.graphql("mutation { setNuxSeen }")
    report = check_page(
        browser,
        f"{webserver.url}/locations/{LOCATION}/asset-groups/warehouse",
        ready=[f"text={DOCS_SITE}"],
        name="dagster_asset_graph",
    )
    assert report.errors == []
    assert report.screenshot.stat().st_size > 0


def test_executive_report_renders_its_charts_without_errors(built: Built, browser: Browser) -> None:
    if EXECUTIVE_REPORT not in built.defs.resolve_asset_graph().get_all_asset_keys():
        pytest.skip("no executive report in this deployment")
    report_file = built.settings.reports_dir / "executive_report.html"
    assert report_file.is_file(), "the build declares an executive report but did not write it"
    with static_site(report_file.parent) as base:
        report = check_page(browser, f"{base}/{report_file.name}", ready=[".js-plotly-plot"], name="executive_report")
    assert report.errors == []
    assert report.blocked == [], "a self-contained report must not need the internet"


def test_only_blocked_external_requests_and_unrendered_dbt_templates_are_excused() -> None:
    telemetry = "https://dagster.io/oss-telemetry.js"
    template_icon = "http://127.0.0.1:8000/%7B%7B%20getIcon(item.type,%20'on')%20%7D%7D"
    assert is_benign(BLOCKED_REQUEST_ERROR, telemetry, [telemetry])
    assert is_benign(f"{NOT_FOUND_ERROR} (File not found)", template_icon, [])
    assert not is_benign(BLOCKED_REQUEST_ERROR, "http://127.0.0.1:8000/app.js", [telemetry])
    assert not is_benign(f"{NOT_FOUND_ERROR} (File not found)", "http://127.0.0.1:8000/manifest.json", [])
    assert not is_benign("Uncaught TypeError: x is undefined", template_icon, [template_icon])
