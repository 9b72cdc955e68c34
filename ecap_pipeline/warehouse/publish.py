"""Publish the DuckDB warehouse atomically, so analysts read it while a build runs.

DuckDB lets one process open a file read-write, and while it does, read-only connections from
other processes fail with a lock error. So nothing ever writes the published file. A writer
takes the writer lock, copies the published file to a private next generation (`next/` beside
it; a copy keeps the tables other writers published, such as model scores), writes there,
checkpoints it and renames it over the published file with `os.replace`, which is atomic.

A reader opens either the old file or the new one, never a mix. A reader still holding the old
file keeps reading it: the rename only unlinks its name, and the operating system frees the
old generation's disk space when its last reader closes it. So no generation is deleted under
a reader, and none outlives its readers. A writer that dies before the rename leaves the
published file untouched; the next writer discards what it left in `next/`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ecap_pipeline.locks import exclusive_lock

NEXT_DIR = "next"
"""The folder, beside the published file, that holds the generation being written."""
WRITER_LOCK = "writer.lock"
"""The lock file, beside the published file, that serialises writers."""


class WarehouseInUseError(RuntimeError):
    """Another process holds the published warehouse open read-write, so it cannot be copied."""


def next_path(published: Path) -> Path:
    """Where writers build the next generation of `published`.

    The file keeps the published name: dbt-duckdb names the database after the file's stem, and
    the relations dbt compiles must name the same database in both files.
    """
    return published.parent / NEXT_DIR / published.name


@contextmanager
def publishing(published: Path) -> Iterator[Path]:
    """Yield a private copy of `published` to write to, then publish it atomically.

    The copy starts as the current published file (or is absent if none exists yet: the writer
    creates it). When the block ends normally, the copy is checkpointed and renamed over
    `published`; when it raises, `published` is left as it was and the copy is discarded.
    Writers are serialised by a lock, so each starts from the previous writer's result.
    """
    with _private_copy(published) as private:
        yield private
        if not private.exists():
            msg = f"the writer left no database at {private}, so there is nothing to publish to {published}"
            raise FileNotFoundError(msg)
        _checkpoint(private)
        _replace_durably(private, published)


@contextmanager
def scratch_copy(published: Path) -> Iterator[Path]:
    """Yield a private, writable copy of `published` that is discarded afterwards.

    For tools that need a writable database but must not change the warehouse, such as
    `dbt docs generate`, which creates views while compiling.
    """
    with _private_copy(published) as private:
        yield private


@contextmanager
def _private_copy(published: Path) -> Iterator[Path]:
    private = next_path(published)
    with exclusive_lock(published.parent / WRITER_LOCK):
        _discard(private.parent)
        private.parent.mkdir(parents=True)
        try:
            if published.exists():
                _copy_unlocked(published, private)
            yield private
        finally:
            _discard(private.parent)


def _copy_unlocked(source: Path, target: Path) -> None:
    """Copy `source`, refusing while a process holds DuckDB's write lock on it.

    DuckDB takes a POSIX write lock on a file it opens read-write; the shared lock taken here
    conflicts with it, so a file in the middle of being written is never copied.
    """
    with source.open("rb") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            msg = (
                f"{source} is open read-write in another process (a DuckDB connection without read_only=True, "
                "or dbt run by hand on the published file); close it, then rerun"
            )
            raise WarehouseInUseError(msg) from None
        shutil.copyfile(source, target)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into `path`, so the published file is complete on its own."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("checkpoint")
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        msg = f"{wal} remains after a checkpoint of {path}; refusing to publish a file without its log"
        raise RuntimeError(msg)


def _replace_durably(source: Path, target: Path) -> None:
    """Rename `source` over `target`, with the file and the rename both flushed to disk."""
    with source.open("rb") as handle:
        os.fsync(handle.fileno())
    source.replace(target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _discard(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)
