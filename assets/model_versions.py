"""How a model version shows in Dagster: materialization metadata and the quality check result."""

from __future__ import annotations

import polars as pl
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue

from assets.metadata import markdown_table
from ecap_pipeline.ml.registry import ModelVersion, QualityGate


def model_metadata(version: ModelVersion) -> dict[str, object]:
    """What the Dagster UI shows for a training run: version, promotion, window, metrics, the card."""
    return {
        "version": version.version,
        "promoted": version.promoted,
        "training window": MetadataValue.json(version.window),
        "model card": MetadataValue.path(str(version.card_path)),
        **{name: MetadataValue.float(float(value)) for name, value in version.metrics.items()},
    }


def quality_check_result(check_name: str, version: ModelVersion) -> AssetCheckResult:
    """The model's quality gates as one check: it passes exactly when the version was promoted."""
    return AssetCheckResult(
        check_name=check_name,
        passed=version.promoted,
        severity=AssetCheckSeverity.ERROR,
        description=gates_text(version.gates),
        metadata={
            "version": version.version,
            "gates": MetadataValue.md(
                markdown_table(
                    pl.DataFrame(
                        {
                            "rule": [gate.rule for gate in version.gates],
                            "value": [gate.value for gate in version.gates],
                            "passed": [gate.passed for gate in version.gates],
                        }
                    )
                )
            ),
        },
    )


def gates_text(gates: tuple[QualityGate, ...]) -> str:
    return "; ".join(gate.describe() for gate in gates)
