"""Real clients for the end-to-end tests: a Dagster webserver subprocess and a static HTTP server.

The tests talk to what a user runs (`dagster-webserver` on `workspace.yaml`, the dbt docs site
over HTTP), so these helpers start those servers on free localhost ports and always stop them.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ecap_pipeline.settings import PROJECT_ROOT, Settings

WEBSERVER = Path(sys.executable).parent / "dagster-webserver"
DAGSTER = Path(sys.executable).parent / "dagster"
STARTUP_TIMEOUT_S = 180.0
"""Loading the code location (dbt manifest, every asset) takes a while on a busy two-core machine."""


def free_port() -> int:
    """A localhost port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(settings: Settings) -> dict[str, str]:
    """The environment a deployment with these settings runs its webserver in.

    Empty settings are left out rather than exported empty: both mean "default" to the pipeline,
    but the dbt manifest's fingerprint hashes the `ECAP_*` environment, and the built project was
    parsed without them, so exporting them would force a needless re-parse.
    """
    env = dict(os.environ)
    env.update({name: value for name, value in settings.as_env().items() if value})
    env["DAGSTER_HOME"] = str(settings.data_dir / "dagster")
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    return env


@dataclass(frozen=True)
class Webserver:
    """A running Dagster webserver and how to reach it."""

    url: str
    log: Path

    def graphql(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a GraphQL answer; a GraphQL error fails with the server's message."""
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        if answer.get("errors"):
            msg = f"GraphQL errors: {answer['errors']}"
            raise AssertionError(msg)
        return answer["data"]


@contextmanager
def dagster_webserver(settings: Settings, log_dir: Path, *, with_daemon: bool = False) -> Iterator[Webserver]:
    """The Dagster UI for `workspace.yaml` on a free port: `dagster dev` (as `ecap dev` runs it) or the bare webserver.

    Runs launched from the UI are only queued (the instance's default run coordinator); the daemon
    that `dagster dev` starts beside the webserver is what dequeues and starts them. A test that
    only reads from the UI skips the daemon's load. Everything runs in one new process group, so
    stopping it also stops the code server, the daemon and any run worker they spawned.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = log_dir / f"webserver-{port}.log"
    server = [str(DAGSTER), "dev"] if with_daemon else [str(WEBSERVER)]
    command = [*server, "-h", "127.0.0.1", "-p", str(port), "-w", str(PROJECT_ROOT / "workspace.yaml")]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=server_env(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(url, process, log)
        yield Webserver(url=url, log=log)
    finally:
        _stop_group(process)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the Dagster UI exited with {process.returncode}:\n{log.read_text()[-4000:]}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    msg = f"the Dagster UI did not answer /server_info within {STARTUP_TIMEOUT_S:.0f} s:\n{log.read_text()[-4000:]}"
    raise RuntimeError(msg)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole group, then SIGKILL whatever is left after a grace period."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not worth a line each in the test output."""


@contextmanager
def static_site(directory: Path) -> Iterator[str]:
    """`directory` served over HTTP on a free localhost port; yields the base URL.

    Pages such as the dbt docs fetch their JSON with XHR, which browsers refuse on file:// URLs.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"static-site-{directory.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
