"""The rules engine: which configured rules each order breaks, how serious that is, and why.

Rules are the explainable first line of fraud detection: an analyst reads "4+ orders by the same
customer within 60 minutes" in an alert and knows what to check. Each rule kind is a polars
expression over the point-in-time features, so all orders are judged at once.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ecap_pipeline.ml.fraud_config import FraudRulesConfig, Rule
from ecap_pipeline.ml.fraud_features import point_in_time_features, window_count

RULE_PREFIX = "rule_"
"""Each rule adds a boolean column `rule_<name>`."""


def _velocity(rule: Rule) -> pl.Expr:
    entity, minutes = str(rule.params["entity"]), float(rule.params["window_minutes"])
    return window_count(entity, minutes) >= rule.params["min_orders"]


def _amount_zscore(rule: Rule) -> pl.Expr:
    """Against the customer's earlier orders once there are `min_history` of them, else the shop's."""
    own = pl.col("prior_orders") >= rule.params["min_history"]
    mean = pl.when(own).then(pl.col("prior_mean_amount")).otherwise(pl.col("shop_mean_amount"))
    std = pl.when(own).then(pl.col("prior_std_amount")).otherwise(pl.col("shop_std_amount"))
    spread = pl.max_horizontal(std, mean * rule.params["min_std_share"])
    return (spread > 0) & ((pl.col("amount") - mean) / spread >= rule.params["min_zscore"])


def _impossible_travel(rule: Rule) -> pl.Expr:
    return (pl.col("distance_from_previous_km") >= rule.params["min_distance_km"]) & (
        pl.col("speed_from_previous_kmh") > rule.params["max_speed_kmh"]
    )


def _new_device_country_amount(rule: Rule) -> pl.Expr:
    high_amount = (
        pl.when(pl.col("prior_orders") > 0)
        .then(pl.col("amount") >= pl.col("prior_mean_amount") * rule.params["min_amount_multiple"])
        .otherwise(pl.col("amount") >= rule.params["min_amount"])
    )
    return pl.col("is_new_device") & pl.col("is_new_country") & high_amount


def _card_testing(rule: Rule) -> pl.Expr:
    small = pl.col("amount") <= rule.params["max_amount"]
    bursts = window_count("card_id", float(rule.params["window_minutes"]), where=small)
    return small & (bursts >= rule.params["min_orders"])


_KIND_EXPRESSIONS: dict[str, Callable[[Rule], pl.Expr]] = {
    "velocity": _velocity,
    "amount_zscore": _amount_zscore,
    "impossible_travel": _impossible_travel,
    "new_device_country_amount": _new_device_country_amount,
    "card_testing": _card_testing,
}


def rule_columns(config: FraudRulesConfig) -> list[str]:
    """The boolean column each configured rule adds, in the file's order."""
    return [f"{RULE_PREFIX}{rule.name}" for rule in config.rules]


def apply_rules(features: pl.DataFrame, config: FraudRulesConfig) -> pl.DataFrame:
    """`features` (from `point_in_time_features`) with each rule's verdict and their summary.

    Adds `rule_<name>` per rule, `rule_score` (sum of the fired rules' severity weights, 1 for
    low to 4 for critical), `rules_fired` (their names, comma-separated) and `reasons` (their
    reason texts, `; `-separated); both texts are empty when nothing fired.
    """
    verdicts = features.with_columns(
        _KIND_EXPRESSIONS[rule.kind](rule).fill_null(value=False).alias(f"{RULE_PREFIX}{rule.name}")
        for rule in config.rules
    )
    fired = [pl.col(f"{RULE_PREFIX}{rule.name}") for rule in config.rules]
    return verdicts.with_columns(
        pl.sum_horizontal(column.cast(pl.Int64) * rule.weight for column, rule in zip(fired, config.rules, strict=True))
        .cast(pl.Int64)
        .alias("rule_score"),
        pl.concat_str(
            [pl.when(column).then(pl.lit(rule.name)) for column, rule in zip(fired, config.rules, strict=True)],
            separator=", ",
            ignore_nulls=True,
        ).alias("rules_fired"),
        pl.concat_str(
            [pl.when(column).then(pl.lit(rule.reason)) for column, rule in zip(fired, config.rules, strict=True)],
            separator="; ",
            ignore_nulls=True,
        ).alias("reasons"),
    )


def evaluate_rules(transactions: pl.DataFrame, config: FraudRulesConfig) -> pl.DataFrame:
    """Point-in-time features and every rule's verdict for conformed `transactions`, sorted by time."""
    return apply_rules(point_in_time_features(transactions), config)
