"""The landing folders, which files in them are waiting, and where a file goes once handled.

```
<data_dir>/landing/<table>/<file>                 dropped by a user, waiting
<data_dir>/landing/_processed/<table>/<file>      ingested (its valid rows in bronze, the others quarantined)
<data_dir>/landing/_rejected/<table>/<file>       unreadable as a whole
<data_dir>/landing/_rejected/<table>/<file>.reason.txt   why
```

A file is named by its path relative to the landing folder, `<table>/<file>`. A name that would
leave that folder (absolute, `..`, a deeper folder) is refused before anything is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ecap_pipeline.landing.contracts import LANDING_TABLES

PROCESSED = "_processed"
REJECTED = "_rejected"


class LandingPathError(ValueError):
    """A requested landed file that is not a file directly inside `landing/<table>/`."""


class LandedFileGoneError(LandingPathError):
    """A requested landed file that is no longer waiting (another run or `ecap ingest` handled it)."""


@dataclass(frozen=True)
class LandedFile:
    """One waiting file: its table and where it is."""

    table: str
    name: str
    """`<table>/<file>`, how reports, quarantine rows and `_source` refer to it."""
    path: Path


def resolve(landing_root: Path, name: str) -> LandedFile:
    """The landed file called `name` (`<table>/<file>`), refusing any name that escapes `landing_root`."""
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).is_absolute() or ".." in parts or len(parts) != 2:
        msg = f"landed file {name!r}: expected <table>/<file> inside {landing_root}, with no '..' or sub-folders"
        raise LandingPathError(msg)
    table, file_name = parts
    if table not in LANDING_TABLES:
        msg = f"landed file {name!r}: {table!r} is not a landing table; use one of {', '.join(LANDING_TABLES)}"
        raise LandingPathError(msg)
    path = landing_root / table / file_name
    if path.parent.resolve() != landing_root.resolve() / table:
        msg = f"landed file {name!r}: the folder {path.parent} leads outside {landing_root} (a symbolic link?)"
        raise LandingPathError(msg)
    if not path.is_symlink() and not path.is_file():
        msg = f"landed file {name!r}: {path} does not exist or is not a file"
        raise LandedFileGoneError(msg)
    return LandedFile(table, name, path)


def pending_files(landing_root: Path) -> list[LandedFile]:
    """Every waiting file, oldest first (then by name). Hidden files (`.name`, e.g. a copy in progress) wait."""
    waiting: list[tuple[int, str, LandedFile]] = []
    for table in LANDING_TABLES:
        folder = landing_root / table
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".") or not (path.is_symlink() or path.is_file()):
                continue
            waiting.append((path.lstat().st_mtime_ns, path.name, LandedFile(table, f"{table}/{path.name}", path)))
    return [landed for *_, landed in sorted(waiting, key=lambda item: (item[0], item[1]))]


def move_processed(landing_root: Path, landed: LandedFile) -> Path:
    """Move a handled file to `_processed/<table>/`, keeping earlier files of the same name."""
    return _move(landed, free_name(landing_root / PROCESSED / landed.table, landed.path.name))


def move_rejected(landing_root: Path, landed: LandedFile, reason: str) -> Path:
    """Move an unreadable file to `_rejected/<table>/` with `<file>.reason.txt` beside it."""
    target = free_name(landing_root / REJECTED / landed.table, landed.path.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_name(f"{target.name}.reason.txt").write_text(reason + "\n", encoding="utf-8")
    return _move(landed, target)


def _move(landed: LandedFile, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # a rename within one file system: a symbolic link moves as the link, never its target
    landed.path.rename(target)
    return target


def free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/<stem>.<n><suffix>` for the first n not taken yet."""
    candidate = folder / name
    number = 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        path = Path(name)
        candidate = folder / f"{path.stem}.{number}{path.suffix}"
    return candidate
