"""Open a page in headless Chromium the way a reader would, and report what went wrong in it.

Every request that would leave the machine is blocked, so a page that needs the internet to render
fails here rather than on a reader's laptop; what the page logged as errors, and what it threw,
comes back to the test. A full-page screenshot of each page is kept as a test artifact.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Error, Route

from ecap_pipeline.settings import PROJECT_ROOT

INSTALL_SCRIPT = PROJECT_ROOT / "scripts" / "install_browser.sh"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
READY_TIMEOUT_MS = 90_000
"""The Dagster UI's bundle and first GraphQL answers are slow on a busy two-core machine."""
BLOCKED_REQUEST_ERROR = "Failed to load resource: net::ERR_FAILED"
"""What Chromium logs for a request the test aborted: benign only when it is one of the blocked URLs
(the Dagster UI asks dagster.io for a telemetry script even with telemetry off)."""
NOT_FOUND_ERROR = "Failed to load resource: the server responded with a status of 404"
UNRENDERED_TEMPLATE = ("{{", "${")
"""dbt-docs ships markup the browser fetches before (or without) filling its template in:
`<use xlink:href="{{ getIcon(item.type, 'on') }}">` in the model tree and a favicon link
`${require('./assets/favicons/favicon.ico')}`. Their 404s are upstream cosmetics, not our errors;
a 404 for any real URL still fails."""


def artifacts_dir() -> Path:
    """Where screenshots go: `$ECAP_TEST_ARTIFACTS`, else `test-artifacts/` in the checkout (git-ignored)."""
    directory = Path(os.environ.get("ECAP_TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def find_chromium() -> tuple[Path | None, str]:
    """The Chromium to drive, installing it with the project's script if it is missing; else why not."""
    result = subprocess.run([str(INSTALL_SCRIPT)], capture_output=True, text=True, check=False, timeout=900)
    for candidate in (os.environ.get("ECAP_CHROMIUM"), str(DEFAULT_CHROMIUM), shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate), ""
    reason = (result.stdout + result.stderr).strip() or f"no Chromium at {DEFAULT_CHROMIUM}"
    return None, reason


@dataclass
class PageReport:
    """What one page did while it loaded: the errors it raised and the requests the test blocked."""

    screenshot: Path
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions, less the documented benign ones (see `_is_benign`)."""
        return [*self.console_errors, *self.page_errors]


def check_page(browser: Browser, url: str, *, ready: Sequence[str], name: str) -> PageReport:
    """Load `url`, wait until every `ready` selector (Playwright syntax) is visible, and screenshot the page.

    `ready` names elements only the rendered page has (a model in the docs tree, an asset node in
    the graph), so a blank shell that merely loaded its HTML does not pass.
    """
    report = PageReport(screenshot=artifacts_dir() / f"{name}.png")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        context.route("**/*", lambda route: _local_only(route, report))
        page = context.new_page()
        page.on("console", lambda message: _record_console(message, report))
        page.on("pageerror", lambda error: report.page_errors.append(_describe(error)))
        try:
            page.goto(url, wait_until="load")
            for selector in ready:
                page.locator(selector).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
            page.wait_for_load_state("networkidle")
        finally:
            # also when the page never got ready: the screenshot is what shows how far it got
            page.screenshot(path=str(report.screenshot), full_page=True)
    finally:
        context.close()
    return report


def _local_only(route: Route, report: PageReport) -> None:
    url = route.request.url
    if urlsplit(url).scheme in {"data", "blob"} or urlsplit(url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        report.blocked.append(url)
        route.abort()


def _record_console(message: ConsoleMessage, report: PageReport) -> None:
    if message.type != "error":
        return
    source = message.location.get("url", "")
    if not _is_benign(message.text, source, report.blocked):
        report.console_errors.append(f"{message.text} ({source})")


def _is_benign(text: str, source: str, blocked: Sequence[str]) -> bool:
    if text.startswith(BLOCKED_REQUEST_ERROR):
        return source in blocked
    if text.startswith(NOT_FOUND_ERROR):
        return any(marker in unquote(source) for marker in UNRENDERED_TEMPLATE)
    return False


def _describe(error: Error) -> str:
    return f"{error.name}: {error.message}\n{error.stack or ''}"
