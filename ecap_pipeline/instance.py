"""The local Dagster instance: its home lives in the data directory, telemetry off."""

from __future__ import annotations

import os
from pathlib import Path

_INSTANCE_CONFIG = """\
# Written by ECAP on first use. Runs, event logs and schedules of this checkout live here.
telemetry:
  enabled: false
"""


def ensure_dagster_home(data_dir: Path) -> Path:
    """Use `DAGSTER_HOME` if set, else `<data_dir>/dagster`; make sure it has an instance config."""
    home = Path(os.environ.get("DAGSTER_HOME") or data_dir / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(_INSTANCE_CONFIG)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
