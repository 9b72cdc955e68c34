"""Final ids of a day's sessions, events and orders, once injected fraud has joined the shop's own.

Fraud is generated after the legitimate day, so its rows arrive with provisional ids. Renumbering
every session by start time, every order by order time and every event by session and time
gives fraudulent rows ids from the same sequences as everyone else: an id says nothing about
whether its row is fraud. Event ids are only ever given here, once per day: they are the
longest id column of the day, and any id given before the renumbering would be replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ecap_pipeline.generate.ids import sequential_ids


@dataclass(frozen=True)
class NumberedDay:
    """The day's rows under their final ids (columns and row contents otherwise unchanged)."""

    sessions: pl.DataFrame
    events: pl.DataFrame
    orders: pl.DataFrame
    order_items: pl.DataFrame
    fraud_labels: pl.DataFrame


def renumber(
    day: dt.date,
    *,
    sessions: pl.DataFrame,
    events: pl.DataFrame,
    orders: pl.DataFrame,
    order_items: pl.DataFrame,
    fraud_labels: pl.DataFrame,
) -> NumberedDay:
    """Sessions, events and orders of `day` renumbered in time order, with every reference updated.

    Sorts are stable, so rows that were already in order (the legitimate ones) keep their
    relative order. A day without injected rows is already in that order: only its events get
    their ids (`E<yyyymmdd>-<n>` in row order), whatever `event_id` they came with.
    """
    if fraud_labels.is_empty():
        return NumberedDay(sessions, _with_event_ids(day, events), orders, order_items, fraud_labels)
    sessions = sessions.sort("started_at", maintain_order=True)
    session_ids = pl.DataFrame(
        {
            "session_id": sessions["session_id"],
            "new_session_id": sequential_ids("S", day, sessions.height, width=6, name="x"),
        }
    ).with_row_index("session_position")
    orders = orders.sort("ordered_at", maintain_order=True)
    order_ids = pl.DataFrame(
        {"order_id": orders["order_id"], "new_order_id": sequential_ids("O", day, orders.height, width=6, name="x")}
    )
    events = (
        events.join(session_ids, on="session_id", how="left", maintain_order="left")
        .sort("session_position", "event_at", maintain_order=True)
        .with_columns(pl.col("new_session_id").alias("session_id"))
        .select(events.columns)
    )
    return NumberedDay(
        sessions=sessions.with_columns(session_ids["new_session_id"].alias("session_id")),
        events=_with_event_ids(day, events),
        orders=_replace(
            orders.with_columns(order_ids["new_order_id"].alias("order_id")),
            session_ids.select("session_id", "new_session_id"),
            "session_id",
        ),
        order_items=_replace(order_items, order_ids, "order_id"),
        fraud_labels=_replace(fraud_labels, order_ids, "order_id"),
    )


def _with_event_ids(day: dt.date, events: pl.DataFrame) -> pl.DataFrame:
    return events.with_columns(sequential_ids("E", day, events.height, width=7, name="event_id"))


def _replace(frame: pl.DataFrame, mapping: pl.DataFrame, column: str) -> pl.DataFrame:
    """`frame` with `column` mapped through `mapping` (old `column` → `new_<column>`), rows kept in order."""
    return (
        frame.join(mapping.select(column, f"new_{column}"), on=column, how="left", maintain_order="left")
        .with_columns(pl.col(f"new_{column}").alias(column))
        .select(frame.columns)
    )
