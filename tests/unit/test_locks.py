"""The exclusive OS lock that serialises writers of one bronze table."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from ecap_pipeline.locks import exclusive_lock


def _can_lock(path: Path) -> bool:
    """Whether another open file description could take the lock right now (never waits)."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def test_the_lock_file_and_its_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "_locks" / "nested" / "orders.lock"
    with exclusive_lock(path):
        assert path.is_file()


def test_the_lock_excludes_others_while_held_and_is_released_after(tmp_path: Path) -> None:
    path = tmp_path / "orders.lock"
    with exclusive_lock(path):
        assert not _can_lock(path)
    assert _can_lock(path)


def test_the_lock_is_released_when_the_block_raises(tmp_path: Path) -> None:
    path = tmp_path / "orders.lock"
    with pytest.raises(RuntimeError, match="boom"), exclusive_lock(path):
        raise RuntimeError("boom")
    assert _can_lock(path)


def test_locks_of_different_tables_are_independent(tmp_path: Path) -> None:
    with exclusive_lock(tmp_path / "orders.lock"):
        assert _can_lock(tmp_path / "events.lock")
