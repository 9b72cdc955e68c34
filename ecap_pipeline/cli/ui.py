"""`ecap dev`: the Dagster UI on this project."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from ecap_pipeline.settings import PROJECT_ROOT, Settings


def register(commands: argparse._SubParsersAction) -> None:
    dev = commands.add_parser("dev", help="start the Dagster UI (dagster dev) on this project")
    dev.set_defaults(handler=run_dev, prog=dev.prog)


def run_dev(_args: argparse.Namespace, _settings: Settings) -> NoReturn:
    dagster = str(Path(sys.executable).with_name("dagster"))
    os.chdir(PROJECT_ROOT)
    os.execv(dagster, [dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml")])
