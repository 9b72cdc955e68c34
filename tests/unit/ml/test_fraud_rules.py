"""Each packaged rule fires on orders built to break it, not on a calm customer, and never looks ahead."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecap_pipeline.ml.fraud_config import load_rules
from ecap_pipeline.ml.fraud_rules import evaluate_rules, rule_columns
from tests.unit.ml.fraud_frames import DAY, calm_history, frame, order

RULES = load_rules()
MINUTE = dt.timedelta(minutes=1)


def _designed(rule: str) -> list[dict[str, object]]:  # noqa: PLR0911 - one branch per rule reads best
    """History plus orders that break `rule`; the last row (order id `target`) is the one that breaks it."""
    rows = calm_history("c1")
    if rule == "customer_velocity":
        return [*rows, order("a", "c1", DAY, 40.0), order("b", "c1", DAY + 20 * MINUTE, 60.0),
                order("target", "c1", DAY + 40 * MINUTE, 50.0)]  # fmt: skip
    if rule == "device_velocity":
        return [*rows, *(order(name, customer, DAY + offset * MINUTE, 50.0, device="Dshared")
                for name, customer, offset in (("a", "c2", 0), ("b", "c3", 20), ("target", "c4", 40)))]  # fmt: skip
    if rule == "card_velocity":
        return [*rows, *(order(name, customer, DAY + offset * MINUTE, 80.0, card="Kshared")
                for name, customer, offset in (("a", "c2", 0), ("b", "c3", 20), ("target", "c4", 40)))]  # fmt: skip
    if rule == "amount_zscore":
        return [*rows, order("target", "c1", DAY, 500.0)]
    if rule == "impossible_travel":
        return [*rows, order("a", "c1", DAY, 50.0), order("target", "c1", DAY + 30 * MINUTE, 50.0, city="new_york")]
    if rule == "new_device_country_amount":
        return [*rows, order("target", "c1", DAY, 200.0, device="Dnew", city="new_york")]
    if rule == "card_testing":
        return [*rows, *(order(name, customer, DAY + offset * MINUTE, 4.0, card="Ktest", device="Dtest")
                for name, customer, offset in (("a", "c2", 0), ("b", "c3", 2), ("target", "c2", 4)))]  # fmt: skip
    raise AssertionError(rule)


def _fired(rows: list[dict[str, object]], order_id: str) -> set[str]:
    judged = evaluate_rules(frame(rows), RULES).filter(pl.col("order_id") == order_id)
    return set(filter(None, judged["rules_fired"].item().split(", ")))


@pytest.mark.parametrize("rule", [rule.name for rule in RULES.rules])
def test_each_rule_fires_on_the_order_designed_to_break_it(rule: str) -> None:
    assert rule in _fired(_designed(rule), "target")


def test_no_rule_fires_on_a_calm_customer() -> None:
    rows = [*calm_history("c1"), order("target", "c1", DAY, 52.0)]
    judged = evaluate_rules(frame(rows), RULES)
    assert judged.select(rule_columns(RULES)).to_numpy().sum() == 0
    assert judged["rules_fired"].to_list() == [""] * len(rows)
    assert judged["rule_score"].sum() == 0


def test_a_fired_rule_gives_its_reason_and_severity_weight() -> None:
    judged = evaluate_rules(frame(_designed("impossible_travel")), RULES).filter(pl.col("order_id") == "target")
    (rule,) = (rule for rule in RULES.rules if rule.name == "impossible_travel")
    assert rule.reason in judged["reasons"].item()
    assert judged["rule_score"].item() >= rule.weight == 4


def test_a_first_order_from_home_breaks_no_rule() -> None:
    assert _fired([order("target", "c9", DAY, 120.0)], "target") == set()


def test_a_travelling_order_is_judged_against_the_one_before_not_after() -> None:
    # the far-away order comes first: only the later, home order is "impossible" from it
    rows = [order("far", "c1", DAY, 50.0, city="new_york"), order("home", "c1", DAY + 30 * MINUTE, 50.0)]
    assert "impossible_travel" not in _fired(rows, "far")
    assert "impossible_travel" in _fired(rows, "home")


@pytest.mark.parametrize("rule", [rule.name for rule in RULES.rules])
def test_later_orders_never_change_an_earlier_orders_verdict(rule: str) -> None:
    rows = _designed(rule)
    later = [
        order("later-1", "c1", DAY + dt.timedelta(hours=1), 900.0, device="Dother", card="Kshared", city="new_york"),
        *(order(f"later-{n}", f"c{n}", DAY + (61 + n) * MINUTE, 3.0, card="Ktest", device="Dshared") for n in (2, 3)),
    ]
    alone = evaluate_rules(frame(rows), RULES)
    with_future = evaluate_rules(frame(rows + later), RULES).filter(~pl.col("order_id").str.starts_with("later"))
    assert with_future.equals(alone)
