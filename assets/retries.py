"""How steps that touch disk retry: a few attempts, spaced out exponentially, with jitter.

A lake write, a `dbt build` or a vacuum can fail for reasons that pass (a full or busy disk, a
lock held by a reader, a file briefly in use); retrying right away tends to hit the same wall,
and several steps retrying in lockstep collide again, hence growing delays and random spread.
Every retried step is safe to rerun: lake writes replace whole days, dbt rebuilds its tables,
maintenance is idempotent. A run that still fails can be re-executed from the failed step.
"""

from __future__ import annotations

from dagster import Backoff, Jitter, RetryPolicy

IO_RETRY_POLICY = RetryPolicy(max_retries=3, delay=1.0, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)
"""Up to three retries after about 1 s, 2 s and 4 s, each shifted by up to ±1 s."""
