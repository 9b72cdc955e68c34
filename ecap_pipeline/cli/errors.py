"""How `ecap` refuses bad arguments: exit code 2 and one line naming the argument and the rule."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

USAGE_ERROR = 2


class EcapParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (`ecap build: error: argument --scale: ...`)."""

    def error(self, message: str) -> NoReturn:
        usage_error(self.prog, message)


def usage_error(prog: str, message: str) -> NoReturn:
    """Print `<prog>: error: <message>` and exit 2, before any work has started."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    if not text.lstrip("-").isdigit() or int(text) < 1:
        msg = f"expected a whole number of 1 or more, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number of 0 or more."""
    if not text.lstrip("-").isdigit() or int(text) < 0:
        msg = f"expected a whole number of 0 or more, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def require_warehouse(prog: str, path: Path) -> None:
    """Commands that read the warehouse refuse to start without one, pointing at the build."""
    if not path.is_file():
        usage_error(prog, f"argument --data-dir: no warehouse at {path}; run `ecap build` first")
