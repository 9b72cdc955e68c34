"""The `ecap` entry point: parse, turn options into settings, check them, run the command."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from ecap_pipeline.cli import build, lake, landing, report, ui, warehouse
from ecap_pipeline.cli.errors import EcapParser, usage_error
from ecap_pipeline.instance import ensure_dagster_home
from ecap_pipeline.settings import Settings, SettingsError

DESCRIPTION = (
    "ECAP, the e-commerce analytics lakehouse: build it headless, generate or ingest data, "
    "build the docs and reports, time-travel the lake, or open the Dagster UI."
)
OVERRIDES = {
    "data_dir": "ECAP_DATA_DIR",
    "scale": "ECAP_SCALE",
    "seed": "ECAP_SEED",
    "start": "ECAP_START_DATE",
    "end": "ECAP_END_DATE",
    "scale_overrides": "ECAP_SCALE_OVERRIDES",
    "fraud_rate": "ECAP_FRAUD_RATE",
    "retention_days": "ECAP_RETENTION_DAYS",
}
"""Command-line options that stand in for an `ECAP_*` setting; the command line wins."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for option, variable in OVERRIDES.items():
        if getattr(args, option, None) is not None:
            os.environ[variable] = str(getattr(args, option))
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        usage_error(args.prog, f"{_argument_for(args, error.name)}{error}")
    ensure_dagster_home(settings.data_dir)
    os.environ.update(settings.as_env())
    return args.handler(args, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = EcapParser(prog="ecap", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for family in (build, ui, warehouse, landing, lake, report):
        family.register(commands)
    return parser


def _argument_for(args: argparse.Namespace, variable: str) -> str:
    """`argument --end: ` when the bad setting came from the command line, else nothing."""
    for option, name in OVERRIDES.items():
        if name == variable and getattr(args, option, None) is not None:
            return f"argument --{option.replace('_', '-')}: "
    return ""
