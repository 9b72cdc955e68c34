"""Versioned models on disk: `<root>/<model>/<version>/`, one folder per training run.

Each version holds the fitted artifact (`model.pkl`), its metrics (`metrics.json`), the feature
list (`features.json`), the training data window (`training_window.json`), the quality gates it
was judged by (`quality.json`) and a model card (`MODEL_CARD.md`). A version is *promoted* when
every gate passed; scoring always loads the latest promoted version, so a run whose new model fails
its gates keeps scoring with the last good one.

A version folder is written under a temporary name and renamed into place, so a crash never
leaves a half-written version that a scorer could pick up. Version numbers only grow.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ARTIFACT = "model.pkl"
METRICS = "metrics.json"
FEATURES = "features.json"
WINDOW = "training_window.json"
QUALITY = "quality.json"
CARD = "MODEL_CARD.md"
_VERSION = re.compile(r"^v(\d{4,})$")
_MODEL_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class NoPromotedModelError(LookupError):
    """No version of a model has passed its quality gates, so there is nothing to score with."""


@dataclass(frozen=True)
class QualityGate:
    """One promotion rule, e.g. `roc_auc >= 0.80`, and how the version fared against it."""

    name: str
    value: float
    threshold: float
    passed: bool
    rule: str

    @classmethod
    def at_least(cls, name: str, value: float, threshold: float) -> QualityGate:
        return cls(name, value, threshold, bool(value >= threshold), f"{name} >= {threshold:g}")

    @classmethod
    def at_most(cls, name: str, value: float, threshold: float) -> QualityGate:
        return cls(name, value, threshold, bool(value <= threshold), f"{name} <= {threshold:g}")

    def describe(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return f"{self.rule}: {self.value:.4f} ({verdict})"


@dataclass(frozen=True)
class TrainingWindow:
    """The data a version learned from and was judged on (inclusive dates)."""

    train_start: dt.date
    train_end: dt.date
    evaluation_start: dt.date
    evaluation_end: dt.date

    def as_json(self) -> dict[str, str]:
        return {name: value.isoformat() for name, value in asdict(self).items()}


@dataclass(frozen=True)
class ModelCard:
    """What a reader of `MODEL_CARD.md` needs beyond the figures: what it predicts and its limits."""

    title: str
    purpose: str
    method: str
    limitations: str


@dataclass(frozen=True)
class ModelVersion:
    """One stored training run of one model."""

    model: str
    version: str
    path: Path
    created_at: str
    promoted: bool
    metrics: Mapping[str, float]
    gates: tuple[QualityGate, ...]

    @property
    def card_path(self) -> Path:
        return self.path / CARD

    @property
    def features(self) -> list[str]:
        return json.loads((self.path / FEATURES).read_text())

    @property
    def window(self) -> dict[str, str]:
        return json.loads((self.path / WINDOW).read_text())

    def failed_gates(self) -> list[QualityGate]:
        return [gate for gate in self.gates if not gate.passed]

    def load(self) -> object:
        """The fitted artifact. Only ever loads files this registry wrote (pickle trusts its input)."""
        with (self.path / ARTIFACT).open("rb") as handle:
            return pickle.load(handle)


class ModelRegistry:
    """The models folder of one deployment (`<data_dir>/models`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def register(
        self,
        model: str,
        *,
        artifact: object,
        metrics: Mapping[str, float],
        features: Sequence[str],
        window: TrainingWindow,
        gates: Sequence[QualityGate],
        card: ModelCard,
    ) -> ModelVersion:
        """Store a new version of `model`; it is promoted exactly when every gate passed."""
        _check_model_name(model)
        if not gates:
            msg = f"model {model!r}: a version needs at least one quality gate to decide its promotion"
            raise ValueError(msg)
        draft = _Draft(model, card, dict(metrics), list(features), window, tuple(gates))
        created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        folder = self.root / model
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
        try:
            with (staging / ARTIFACT).open("wb") as handle:
                pickle.dump(artifact, handle, protocol=pickle.HIGHEST_PROTOCOL)
            _write_json(staging / METRICS, {name: float(value) for name, value in draft.metrics.items()})
            _write_json(staging / FEATURES, draft.features)
            _write_json(staging / WINDOW, window.as_json())
            _write_json(
                staging / QUALITY,
                {"created_at": created_at, "promoted": draft.promoted, "gates": [asdict(gate) for gate in gates]},
            )
            version = self._claim_next_version(staging, draft)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.get(model, version)

    def versions(self, model: str) -> list[ModelVersion]:
        """Every stored version of `model`, oldest first."""
        folder = self.root / model
        if not folder.is_dir():
            return []
        numbered = sorted(
            (int(match.group(1)), path.name)
            for path in folder.iterdir()
            if path.is_dir() and (match := _VERSION.match(path.name))
        )
        return [self.get(model, name) for _, name in numbered]

    def get(self, model: str, version: str) -> ModelVersion:
        path = self.root / model / version
        if not (path / QUALITY).is_file():
            known = ", ".join(v.version for v in self.versions(model)) or "none"
            msg = f"model {model!r} has no version {version!r} under {self.root} (versions: {known})"
            raise LookupError(msg)
        quality = json.loads((path / QUALITY).read_text())
        return ModelVersion(
            model=model,
            version=version,
            path=path,
            created_at=quality["created_at"],
            promoted=quality["promoted"],
            metrics=json.loads((path / METRICS).read_text()),
            gates=tuple(QualityGate(**gate) for gate in quality["gates"]),
        )

    def latest_promoted(self, model: str) -> ModelVersion:
        """The newest version whose gates all passed; raises, naming what failed, if there is none."""
        versions = self.versions(model)
        for version in reversed(versions):
            if version.promoted:
                return version
        if not versions:
            msg = f"model {model!r} has never been trained (no versions under {self.root / model}); train it first"
        else:
            latest = versions[-1]
            failed = "; ".join(gate.describe() for gate in latest.failed_gates())
            msg = (
                f"model {model!r} has no promoted version: none of its {len(versions)} version(s) passed "
                f"its quality gates (latest {latest.version}: {failed})"
            )
        raise NoPromotedModelError(msg)

    def _claim_next_version(self, staging: Path, draft: _Draft) -> str:
        """Rename `staging` to the next free `vNNNN`; a concurrent writer taking it moves us one up."""
        folder = self.root / draft.model
        existing = [int(m.group(1)) for p in folder.iterdir() if (m := _VERSION.match(p.name))]
        number = max(existing, default=0) + 1
        while True:
            version = f"v{number:04d}"
            (staging / CARD).write_text(render_card(draft, version))
            try:
                # renaming onto a missing name is atomic; onto an existing (non-empty) version it fails
                staging.rename(folder / version)
            except OSError:
                number += 1
                continue
            return version


@dataclass(frozen=True)
class _Draft:
    """A version's content before it has a number."""

    model: str
    card: ModelCard
    metrics: dict[str, float]
    features: list[str]
    window: TrainingWindow
    gates: tuple[QualityGate, ...]

    @property
    def promoted(self) -> bool:
        return all(gate.passed for gate in self.gates)


def render_card(draft: _Draft, version: str) -> str:
    """The markdown model card: purpose, method, data window, metrics, gates, features, limits."""
    card, window = draft.card, draft.window
    status = "promoted (every quality gate passed)" if draft.promoted else "not promoted (a quality gate failed)"
    metric_rows = "\n".join(f"| {name} | {value:.4f} |" for name, value in draft.metrics.items())
    gate_rows = "\n".join(
        f"| {gate.rule} | {gate.value:.4f} | {'passed' if gate.passed else 'FAILED'} |" for gate in draft.gates
    )
    feature_list = ", ".join(f"`{feature}`" for feature in draft.features)
    return f"""# {card.title} — {draft.model} {version}

Status: **{status}**.

## Purpose
{card.purpose}

## Method
{card.method}

## Data
Trained on {window.train_start} … {window.train_end}; evaluated on {window.evaluation_start} … \
{window.evaluation_end}, a later period it never saw.

## Metrics (evaluation period)
| metric | value |
|---|---|
{metric_rows}

## Quality gates
| rule | value | result |
|---|---|---|
{gate_rows}

## Features
{feature_list}

## Limitations
{card.limitations}
"""


def _write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n")


def _check_model_name(model: str) -> None:
    if not _MODEL_NAME.match(model):
        msg = f"model name {model!r} is invalid: use lowercase letters, digits and underscores, starting with a letter"
        raise ValueError(msg)
