"""Run one measurement in a fresh process, so its peak memory is its own.

`ru_maxrss` is a high-water mark for the life of a process: measured in one long-lived process,
every rung would report the peak of the largest rung run so far. A spawned child per measurement
gives each its own peak, and starts each repeat from the same cold state (no caches warmed by the
previous repeat).
"""

from __future__ import annotations

import multiprocessing
import resource
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

KIB_PER_MIB = 1024


@dataclass(frozen=True)
class ResourceUse:
    """What a measurement's process used, as `getrusage` reports it on Linux."""

    self_mb: float
    """Peak RSS in MiB of the measuring process itself (it receives the file metadata and commits)."""
    largest_child_mb: float
    """Peak RSS in MiB of the largest worker process it started (0 when it generated in-process)."""
    cpu_seconds: float
    """User + system CPU seconds of the measuring process and all its waited-for workers, start-up
    included: the work of the whole measurement, whatever else the machine was doing."""


def resource_use() -> ResourceUse:
    """Peak RSS of this process and of its largest waited-for child, and the CPU time of both so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return ResourceUse(own.ru_maxrss / KIB_PER_MIB, children.ru_maxrss / KIB_PER_MIB, cpu)


def run_isolated(func: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, ResourceUse]:
    """`func(*args, **kwargs)` in a fresh spawned process, with that process's peak memory and CPU time.

    Spawn rather than fork: polars holds a thread pool that a forked child would inherit
    half-initialised. `func` must be importable by name (a module-level function).
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(sender, func, args, kwargs))
    process.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        process.join()
        msg = f"measurement {func.__name__} died without an answer (exit code {process.exitcode})"
        raise RuntimeError(msg) from None
    process.join()
    if status != "ok":
        msg = f"measurement {func.__name__} failed in its child process:\n{payload}"
        raise RuntimeError(msg)
    return payload


def _child_main(sender: Connection, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        result = func(*args, **kwargs)
        sender.send(("ok", (result, resource_use())))
    except BaseException:  # the parent re-raises it with the child's traceback
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()
