"""The fraud rules file: which rules run, with which parameters, severity and reason text.

Rules live in TOML so an analyst can tune a window or a threshold without touching code. The
packaged `fraud_rules.toml` is the default; `ECAP_FRAUD_RULES` points at another file. Every
mistake in the file is reported with the file, the rule and the key, before any order is judged.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

DEFAULT_RULES_PATH = Path(__file__).with_name("fraud_rules.toml")

SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
"""Severity levels, mildest first; a rule's weight in the rule score is its position plus one."""

ENTITIES: tuple[str, ...] = ("customer_id", "device_id", "card_id")
"""What a velocity rule can count orders of."""


@dataclass(frozen=True)
class _Param:
    """One kind-specific key: its type and the smallest value that makes sense."""

    kind: type
    minimum: float | None = None
    choices: tuple[str, ...] = ()


_KIND_PARAMS: dict[str, dict[str, _Param]] = {
    "velocity": {
        "entity": _Param(str, choices=ENTITIES),
        "window_minutes": _Param(float, 1.0),
        "min_orders": _Param(int, 2),
    },
    "amount_zscore": {
        "min_history": _Param(int, 2),
        "min_zscore": _Param(float, 0.0),
        "min_std_share": _Param(float, 0.0),
    },
    "impossible_travel": {"max_speed_kmh": _Param(float, 1.0), "min_distance_km": _Param(float, 0.0)},
    "new_device_country_amount": {"min_amount_multiple": _Param(float, 0.0), "min_amount": _Param(float, 0.0)},
    "card_testing": {
        "window_minutes": _Param(float, 1.0),
        "min_orders": _Param(int, 2),
        "max_amount": _Param(float, 0.0),
    },
}
KINDS: tuple[str, ...] = tuple(_KIND_PARAMS)
_COMMON_KEYS = ("kind", "severity", "reason")
_PRIORITY_KEYS = ("critical", "high", "medium")


class FraudConfigError(ValueError):
    """The rules file breaks a rule of its format; the message names the file, the rule and the key."""


@dataclass(frozen=True)
class Rule:
    """One configured rule: `params` holds the keys of its kind, `reason` is already filled in."""

    name: str
    kind: str
    severity: str
    reason: str
    params: Mapping[str, float | int | str]

    @property
    def weight(self) -> int:
        """1 (low) to 4 (critical): how much this rule adds to an order's rule score."""
        return SEVERITIES.index(self.severity) + 1


@dataclass(frozen=True)
class PriorityCutoffs:
    """Lowest risk score of each alert priority; below `medium` an alert is `low`."""

    critical: float
    high: float
    medium: float


@dataclass(frozen=True)
class FraudRulesConfig:
    """The parsed rules file."""

    path: Path
    rules: tuple[Rule, ...]
    priorities: PriorityCutoffs


def load_rules(path: Path | None = None) -> FraudRulesConfig:
    """Parse and check the rules file at `path` (default: the packaged one)."""
    path = DEFAULT_RULES_PATH if path is None else path
    try:
        document = tomllib.loads(path.read_text())
    except OSError as error:
        msg = f"fraud rules file {path}: cannot be read ({error.strerror})"
        raise FraudConfigError(msg) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"fraud rules file {path}: is not valid TOML ({error})"
        raise FraudConfigError(msg) from None
    unknown = sorted(set(document) - {"alerts", "rules"})
    if unknown:
        _fail(path, f"unknown top-level table(s) {unknown}: expected [alerts] and [rules.<name>]")
    rules_table = document.get("rules")
    if not isinstance(rules_table, dict) or not rules_table:
        _fail(path, "has no rules: add at least one [rules.<name>] table")
    rules = tuple(_parse_rule(path, name, table) for name, table in rules_table.items())
    return FraudRulesConfig(path=path, rules=rules, priorities=_parse_priorities(path, document.get("alerts")))


def _parse_rule(path: Path, name: str, table: object) -> Rule:
    where = f"rule {name!r}"
    if not isinstance(table, dict):
        _fail(path, f"{where} must be a table ([rules.{name}])")
    kind = _required(path, where, table, "kind")
    if kind not in _KIND_PARAMS:
        _fail(path, f"{where} key 'kind' = {kind!r} is unknown; known kinds: {', '.join(KINDS)}")
    expected = _KIND_PARAMS[kind]
    unknown = sorted(set(table) - set(expected) - set(_COMMON_KEYS))
    if unknown:
        allowed = ", ".join((*_COMMON_KEYS, *expected))
        _fail(path, f"{where} has unknown key(s) {unknown}; a {kind} rule takes: {allowed}")
    severity = _required(path, where, table, "severity")
    if severity not in SEVERITIES:
        _fail(path, f"{where} key 'severity' = {severity!r} must be one of {', '.join(SEVERITIES)}")
    params = {key: _param(path, where, key, spec, _required(path, where, table, key)) for key, spec in expected.items()}
    template = _required(path, where, table, "reason")
    if not isinstance(template, str) or not template.strip():
        _fail(path, f"{where} key 'reason' must be a non-empty text")
    try:
        reason = template.format(**params)
    except (KeyError, IndexError, ValueError) as error:
        _fail(path, f"{where} key 'reason' cannot be filled in ({error!r}); placeholders may name: {', '.join(params)}")
    return Rule(name=name, kind=kind, severity=severity, reason=reason, params=params)


def _param(path: Path, where: str, key: str, spec: _Param, value: object) -> float | int | str:
    # bool is an int in Python, but `min_orders = true` is a mistake, not a count
    accepted = (int, float) if spec.kind is float else (spec.kind,)
    if isinstance(value, bool) or not isinstance(value, accepted):
        _fail(
            path, f"{where} key {key!r} = {value!r} must be {'a number' if spec.kind is float else spec.kind.__name__}"
        )
    if spec.choices and value not in spec.choices:
        _fail(path, f"{where} key {key!r} = {value!r} must be one of {', '.join(spec.choices)}")
    if spec.minimum is not None and value < spec.minimum:
        _fail(path, f"{where} key {key!r} = {value!r} must be at least {spec.minimum:g}")
    return float(value) if spec.kind is float else value


def _parse_priorities(path: Path, table: object) -> PriorityCutoffs:
    if not isinstance(table, dict):
        _fail(path, "needs an [alerts] table with the priority cut-offs critical, high and medium")
    unknown = sorted(set(table) - set(_PRIORITY_KEYS))
    if unknown:
        _fail(path, f"[alerts] has unknown key(s) {unknown}; it takes: {', '.join(_PRIORITY_KEYS)}")
    cutoffs = {}
    for key in _PRIORITY_KEYS:
        value = _required(path, "[alerts]", table, key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
            _fail(path, f"[alerts] key {key!r} = {value!r} must be a risk score in (0, 1]")
        cutoffs[key] = float(value)
    if not cutoffs["critical"] > cutoffs["high"] > cutoffs["medium"]:
        _fail(path, f"[alerts] cut-offs must fall from critical to medium, got {cutoffs}")
    return PriorityCutoffs(**cutoffs)


def _required(path: Path, where: str, table: dict[str, object], key: str) -> object:
    if key not in table:
        _fail(path, f"{where} is missing key {key!r}")
    return table[key]


def _fail(path: Path, problem: str) -> NoReturn:
    msg = f"fraud rules file {path}: {problem}"
    raise FraudConfigError(msg)
