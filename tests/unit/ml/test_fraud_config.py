"""The fraud rules file: the packaged one loads, and every mistake names the file, the rule and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecap_pipeline.ml.fraud_config import DEFAULT_RULES_PATH, KINDS, FraudConfigError, load_rules

_ALERTS = "[alerts]\ncritical = 0.9\nhigh = 0.7\nmedium = 0.5\n"
_VELOCITY = """
[rules.fast]
kind = "velocity"
severity = "high"
entity = "customer_id"
window_minutes = 60
min_orders = 3
reason = "{min_orders}+ orders in {window_minutes:g} minutes"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    return path


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(FraudConfigError) as raised:
        load_rules(path)
    message = str(raised.value)
    assert str(path) in message
    return message


def test_the_packaged_rules_cover_every_kind_and_fill_in_their_reasons() -> None:
    config = load_rules()
    assert config.path == DEFAULT_RULES_PATH
    assert {rule.kind for rule in config.rules} == set(KINDS)
    assert all("{" not in rule.reason for rule in config.rules)
    assert config.priorities.critical > config.priorities.high > config.priorities.medium


def test_a_reason_is_filled_in_with_the_rules_own_values(tmp_path: Path) -> None:
    (rule,) = load_rules(_write(tmp_path, _ALERTS + _VELOCITY)).rules
    assert rule.reason == "3+ orders in 60 minutes"
    assert rule.weight == 3  # high


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    assert "is not valid TOML" in _error(tmp_path, "[rules.fast\nkind = 1")


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(FraudConfigError, match=re.escape(str(tmp_path / "nope.toml"))):
        load_rules(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('kind = "velocity"', 'kind = "teleport"', "rule 'fast' key 'kind' = 'teleport' is unknown"),
        ('severity = "high"', 'severity = "urgent"', "rule 'fast' key 'severity' = 'urgent' must be one of"),
        ("min_orders = 3", "min_orders = 1", "rule 'fast' key 'min_orders' = 1 must be at least 2"),
        ("min_orders = 3", "min_orders = 2.5", "rule 'fast' key 'min_orders' = 2.5 must be int"),
        ("min_orders = 3", "min_orders = true", "rule 'fast' key 'min_orders' = True must be int"),
        ("window_minutes = 60", 'window_minutes = "1h"', "rule 'fast' key 'window_minutes' = '1h' must be a number"),
        ('entity = "customer_id"', 'entity = "email"', "rule 'fast' key 'entity' = 'email' must be one of"),
        ("min_orders = 3\n", "", "rule 'fast' is missing key 'min_orders'"),
        ("min_orders = 3\n", "min_orders = 3\nmax_speed_kmh = 9\n", "rule 'fast' has unknown key(s) ['max_speed_kmh']"),
        ('reason = "{min_orders}', 'reason = "{max_orders}', "rule 'fast' key 'reason' cannot be filled in"),
    ],
)
def test_a_bad_rule_names_the_rule_and_the_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in _VELOCITY
    assert expected in _error(tmp_path, _ALERTS + _VELOCITY.replace(old, new))


def test_a_file_without_rules_is_refused(tmp_path: Path) -> None:
    assert "has no rules" in _error(tmp_path, _ALERTS)


def test_priority_cutoffs_must_fall_from_critical_to_medium(tmp_path: Path) -> None:
    alerts = _ALERTS.replace("high = 0.7", "high = 0.95")
    assert "[alerts] cut-offs must fall from critical to medium" in _error(tmp_path, alerts + _VELOCITY)


def test_a_priority_cutoff_outside_zero_to_one_names_the_key(tmp_path: Path) -> None:
    alerts = _ALERTS.replace("medium = 0.5", "medium = 5")
    assert "[alerts] key 'medium' = 5 must be a risk score in (0, 1]" in _error(tmp_path, alerts + _VELOCITY)


def test_an_unknown_top_level_table_is_refused(tmp_path: Path) -> None:
    assert "unknown top-level table(s) ['rule']" in _error(tmp_path, _ALERTS + _VELOCITY + "[rule.x]\nkind = 1\n")
