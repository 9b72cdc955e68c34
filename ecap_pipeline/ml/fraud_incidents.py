"""Bursts as incidents: the earlier orders a burst rule counted are reviewed with the order it flagged.

A velocity or card-testing rule fires on the third (or second) order of a burst, because the
first ones have no history yet when they arrive. An analyst who opens that alert reviews the
whole burst, so its first orders are caught too. This module draws that link: when such a rule
flags an order at or above the operating threshold, the earlier orders of the same entity in the
rule's window (the ones the rule counted) join its incident. Nothing looks ahead of the flagged
order: the link is made when the flagged order arrives, from orders already placed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ecap_pipeline.ml.fraud_config import FraudRulesConfig, Rule
from ecap_pipeline.ml.fraud_rules import RULE_PREFIX

BURST_KINDS: tuple[str, ...] = ("velocity", "card_testing")
"""Rule kinds that count earlier orders, so the orders they counted belong to the same incident."""


@dataclass(frozen=True)
class _Burst:
    """What one burst rule counts: orders of `entity` within `window` of each other, matching `counted`."""

    column: str
    entity: str
    window: dt.timedelta
    counted: pl.Expr


def _burst(rule: Rule) -> _Burst:
    window = dt.timedelta(minutes=float(rule.params["window_minutes"]))
    if rule.kind == "card_testing":
        return _Burst(f"{RULE_PREFIX}{rule.name}", "card_id", window, pl.col("amount") <= rule.params["max_amount"])
    return _Burst(f"{RULE_PREFIX}{rule.name}", str(rule.params["entity"]), window, pl.lit(value=True))


def _links(orders: pl.DataFrame, burst: _Burst, flagged: pl.Expr, risk: str) -> pl.DataFrame:
    """Per order: the first later flagged order of the same entity whose window reaches back to it, and its risk.

    The rule's window holds the orders of the last `window` up to the flagged one (an order exactly
    `window` earlier is outside it), so the forward as-of match is cut at strictly less than `window`.
    """
    keyed = orders.filter(pl.col(burst.entity).is_not_null())
    anchors = keyed.filter(flagged & pl.col(burst.column)).select(
        pl.col(burst.entity),
        pl.col("ordered_at").alias("_flagged_at"),
        pl.col("order_id").alias("_linked_to"),
        pl.col(risk).alias("_linked_risk"),
    )
    members = keyed.filter(burst.counted).select("order_id", burst.entity, "ordered_at")
    matched = members.sort("ordered_at").join_asof(
        anchors.sort("_flagged_at"),
        left_on="ordered_at",
        right_on="_flagged_at",
        by=burst.entity,
        strategy="forward",
        tolerance=burst.window,
        check_sortedness=False,
    )
    inside = (pl.col("_flagged_at") - pl.col("ordered_at")) < burst.window
    return matched.filter(inside & (pl.col("_linked_to") != pl.col("order_id"))).select(
        "order_id", "_flagged_at", "_linked_to", "_linked_risk"
    )


def with_incidents(
    scored: pl.DataFrame, rules: FraudRulesConfig, threshold: float, *, risk: str = "risk_score"
) -> pl.DataFrame:
    """`scored` with `linked_to`, `incident_risk` and `alerted`.

    `scored` holds the rule verdict columns of `rules` and a risk score column `risk`. An order
    below `threshold` that a burst rule counted for a flagged order (one at or above `threshold`
    on which that rule fired) gets that order's id in `linked_to` (the earliest, if several: the
    alert that opened the incident); orders at or above the threshold are alerts in their own
    right and are never linked.
    `incident_risk` is the larger of the order's risk and its flagged order's; `alerted` is true
    for orders at or above the threshold and for linked ones. Row order is kept.
    """
    flagged = pl.col(risk) >= threshold
    bursts = [_burst(rule) for rule in rules.rules if rule.kind in BURST_KINDS]
    schema = {
        "order_id": pl.String(),
        "_flagged_at": pl.Datetime("us", "UTC"),
        "_linked_to": pl.String(),
        "_linked_risk": pl.Float64(),
    }
    candidates = [_links(scored, burst, flagged, risk) for burst in bursts if not scored.is_empty()]
    links = (
        pl.concat([pl.DataFrame(schema=schema), *(frame.cast(schema) for frame in candidates)])
        .sort("_flagged_at", "_linked_to")
        .unique("order_id", keep="first", maintain_order=True)
    )
    linked = scored.join(links.drop("_flagged_at"), on="order_id", how="left", maintain_order="left")
    linked_to = pl.when(~flagged).then(pl.col("_linked_to"))
    return linked.with_columns(
        linked_to.alias("linked_to"),
        pl.max_horizontal(pl.col(risk), pl.when(~flagged).then(pl.col("_linked_risk"))).alias("incident_risk"),
        (flagged | linked_to.is_not_null()).fill_null(value=False).alias("alerted"),
    ).drop("_linked_to", "_linked_risk")
