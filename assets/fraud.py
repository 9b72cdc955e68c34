"""Fraud model assets: train and judge a new version, then score every order into `fraud_alerts`."""

import time
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.automation import SCORES_FOLLOW_INPUTS
from assets.metadata import table_metadata
from ecap_pipeline.ml.fraud_config import load_rules
from ecap_pipeline.ml.fraud_evaluation import FraudEvaluation, evaluate_fraud_model
from ecap_pipeline.ml.fraud_features import TRANSACTIONS_SQL, conform_transactions
from ecap_pipeline.ml.fraud_inputs import model_inputs
from ecap_pipeline.ml.fraud_model import MODEL_NAME, FraudTrainingOptions, TrainedFraudModel, train_fraud_model
from ecap_pipeline.ml.fraud_scoring import PRIORITIES, fraud_alerts, score_orders
from ecap_pipeline.ml.registry import ModelCard, ModelVersion
from resources.lake import LakeResource
from resources.models import ModelRegistryResource
from resources.warehouse import WarehouseResource

OWNER = "team:data-science"
GROUP = "models"
FRAUD_MODEL = "fraud_model"
FRAUD_ALERTS = "fraud_alerts"
QUALITY_CHECK = "fraud_model_quality"
_SOURCE = "warehouse fct_orders joined with dim_customers"
_READS = [AssetKey(["fct_orders"]), AssetKey(["dim_customers"])]

CARD = ModelCard(
    title="Fraud risk",
    purpose=(
        "Rank every order by its risk of being fraudulent, so analysts review the riskiest first; orders at or "
        "above the operating threshold land in the warehouse table `fraud_alerts` with a priority and reasons."
    ),
    method=(
        "A configurable rules engine (velocity, amount z-score, impossible travel, new device + new country + "
        "high amount, card testing) and an IsolationForest anomaly score, both on point-in-time features of the "
        "order, its basket and the customer's earlier orders, feed a random-forest classifier trained on the "
        "generator's fraud labels; its probability is the risk score. A burst is reviewed as one incident: when a "
        "velocity or card-testing rule flags an order at or above the threshold, the earlier orders that rule "
        "counted are alerted with it (`linked_to`). The threshold is the one with the best recall at out-of-fold "
        f"precision >= {FraudTrainingOptions().target_precision:g} on the training period (five folds of whole "
        "days, incidents included)."
    ),
    limitations=(
        "The labels come from injected synthetic fraud patterns, which legitimate orders never imitate (they are "
        "always placed from home on the customer's usual device); real fraud is subtler. The first orders of a "
        "burst are caught only through the order that completes it, once that order is scored. Recall per "
        "pattern is only as reliable as the number of held-out incidents behind it."
    ),
)


def _metadata(version: ModelVersion, evaluation: FraudEvaluation, seconds: float) -> dict[str, object]:
    return {
        **{name: MetadataValue.float(value) for name, value in evaluation.metrics.items()},
        "training seconds": MetadataValue.float(round(seconds, 2)),
        "version": version.version,
        "promoted": version.promoted,
        "training window": MetadataValue.json(version.window),
        "model card": MetadataValue.path(str(version.card_path)),
    }


def _quality_check(version: ModelVersion) -> AssetCheckResult:
    failed = "; ".join(gate.describe() for gate in version.failed_gates())
    return AssetCheckResult(
        check_name=QUALITY_CHECK,
        passed=version.promoted,
        severity=AssetCheckSeverity.ERROR,
        description=f"{version.version} not promoted: {failed}" if failed else f"{version.version} promoted",
        metadata={gate.name: f"{gate.value:.4f} (needs {gate.rule})" for gate in version.gates},
    )


def build_fraud_assets(rules_path: Path | None) -> list[AssetsDefinition]:
    """The training asset (with its quality check) and the scoring asset, using the rules at `rules_path`."""

    @asset(
        name=FRAUD_MODEL,
        deps=[*_READS, AssetKey(["ground_truth", "fraud_labels"])],
        group_name=GROUP,
        kinds={"scikit-learn", "duckdb"},
        owners=[OWNER],
        check_specs=[
            AssetCheckSpec(
                QUALITY_CHECK,
                asset=FRAUD_MODEL,
                description="Held-out recall >= 0.9 at precision >= 0.8; a failing version is not promoted.",
            )
        ],
    )
    def fraud_model(
        context: AssetExecutionContext,
        warehouse: WarehouseResource,
        lake: LakeResource,
        models: ModelRegistryResource,
    ) -> MaterializeResult:
        """A new fraud model version, trained on earlier orders and judged on later ones; promoted if it passes."""
        rules = load_rules(rules_path)
        started = time.perf_counter()
        inputs = model_inputs(conform_transactions(warehouse.read_frame(TRANSACTIONS_SQL), source=_SOURCE), rules)
        labels = lake.read("fraud_labels")
        model = train_fraud_model(inputs, labels, rules=rules)
        seconds = time.perf_counter() - started
        evaluation = evaluate_fraud_model(model, inputs, labels)
        version = models.registry.register(
            MODEL_NAME,
            artifact=model,
            metrics=evaluation.metrics,
            features=model.features,
            window=model.window,
            gates=evaluation.gates,
            card=CARD,
        )
        context.log.info(f"fraud {version.version}: " + "; ".join(gate.describe() for gate in version.gates))
        return MaterializeResult(
            metadata=_metadata(version, evaluation, seconds), check_results=[_quality_check(version)]
        )

    @asset(
        name=FRAUD_ALERTS,
        automation_condition=SCORES_FOLLOW_INPUTS,
        deps=[*_READS, fraud_model],
        group_name=GROUP,
        kinds={"scikit-learn", "duckdb"},
        owners=[OWNER],
    )
    def fraud_alerts_table(warehouse: WarehouseResource, models: ModelRegistryResource) -> MaterializeResult:
        """Orders the latest promoted fraud model flags, with risk score, priority, the rules that fired and why."""
        version = models.registry.latest_promoted(MODEL_NAME)
        model = version.load()
        if not isinstance(model, TrainedFraudModel):
            msg = f"{version.path}: the artifact is a {type(model).__name__}, not a fraud model"
            raise TypeError(msg)
        transactions = conform_transactions(warehouse.read_frame(TRANSACTIONS_SQL), source=_SOURCE)
        alerts = fraud_alerts(score_orders(model, transactions), model, model_version=version.version)
        warehouse.replace_tables({FRAUD_ALERTS: alerts})
        summary = {
            **{f"{name} alerts": int((alerts["priority"] == name).sum()) for name in PRIORITIES},
            "alerts linked to a burst": int(alerts["linked_to"].is_not_null().sum()),
            "orders scored": transactions.height,
            "model version": version.version,
            "threshold": MetadataValue.float(model.threshold),
        }
        return MaterializeResult(metadata=table_metadata(alerts, **summary))

    return [fraud_model, fraud_alerts_table]
