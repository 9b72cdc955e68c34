"""Real clients for the end-to-end tests: a Dagster webserver subprocess and a static HTTP server.

The tests talk to what a user runs (the webserver `ecap dev` starts, on `workspace.yaml`; the dbt
docs site over HTTP), so these helpers start those servers on free localhost ports and always stop them.
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
STARTUP_TIMEOUT_S = 180.0
"""Loading the code location (dbt manifest, every asset) takes a while on a busy two-core machine."""


def free_port() -> int:
    """A localhost port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(settings: Settings, dagster_home: Path) -> dict[str, str]:
    """The environment a deployment with these settings runs its webserver in.

    Empty settings are left out rather than exported empty: both mean "default" to the pipeline,
    but the dbt manifest's fingerprint hashes the `ECAP_*` environment, and the built project was
    parsed without them, so exporting them would force a needless re-parse.
    """
    env = dict(os.environ)
    env.update({name: value for name, value in settings.as_env().items() if value})
    env["DAGSTER_HOME"] = str(dagster_home)
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    return env


def webserver_home(settings: Settings, home: Path) -> Path:
    """A DAGSTER_HOME on the built project's own run, event and artifact storage that starts runs at once.

    The project's instance queues launched runs for the daemon, and the daemon would also tick the
    sensors and evaluate the automation conditions against the shared built project, launching
    runs other tests do not expect. This instance reads and writes the same storage but launches
    a run the moment it is submitted, so no daemon is needed.
    """
    storage = settings.data_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(
        f"""\
telemetry:
  enabled: false
storage:
  sqlite:
    base_dir: {storage}
local_artifact_storage:
  module: dagster._core.storage.root
  class: LocalArtifactStorage
  config:
    base_dir: {storage}
run_coordinator:
  module: dagster._core.run_coordinator
  class: DefaultRunCoordinator
"""
    )
    return home


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
def dagster_webserver(settings: Settings, work_dir: Path) -> Iterator[Webserver]:
    """`dagster-webserver -w workspace.yaml` on a free port, over the built project's instance storage.

    It runs in its own process group, so stopping it also stops the code server and any run
    worker it spawned. Its log and instance config live in `work_dir`.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = work_dir / f"webserver-{port}.log"
    home = webserver_home(settings, work_dir / "dagster_home")
    command = [str(WEBSERVER), "-h", "127.0.0.1", "-p", str(port), "-w", str(PROJECT_ROOT / "workspace.yaml")]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=server_env(settings, home),
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
