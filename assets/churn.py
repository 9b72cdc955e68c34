"""Churn assets: train and judge the churn model, then score every customer into `churn_scores`."""

import datetime as dt
import time
from collections import Counter

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.automation import SCORES_FOLLOW_INPUTS
from assets.metadata import table_metadata
from ecap_pipeline.ml.churn_features import FEATURES, churn_features
from ecap_pipeline.ml.churn_history import ChurnDataError, ChurnHistory
from ecap_pipeline.ml.churn_model import TrainedChurn
from ecap_pipeline.ml.churn_scoring import score_churn
from ecap_pipeline.ml.churn_training import CHURN_MODEL, run_churn_training
from ecap_pipeline.ml.registry import ModelVersion, NoPromotedModelError
from resources.lake import LakeResource
from resources.models import ModelRegistryResource
from resources.warehouse import WarehouseResource

OWNER = "team:data-science"
CHURN_MODEL_ASSET = "churn_model"
CHURN_SCORES = "churn_scores"
CHURN_MODEL_QUALITY = "churn_model_quality"
_KINDS = {"scikit-learn", "duckdb"}
HISTORY_QUERIES: dict[str, str] = {
    "customers": "select customer_id, signup_date, behaviour_segment, acquisition_channel from dim_customers",
    "orders": "select customer_id, order_date, gross_revenue, discount_amount, net_revenue from fct_orders",
    "sessions": (
        "select customer_id, session_date, duration_seconds, product_view_count, add_to_cart_count "
        "from fct_sessions where customer_id is not null"
    ),
    "returns": (
        "select orders.customer_id, returns.return_date, returns.refund_amount "
        "from stg_bronze__returns as returns inner join fct_orders as orders using (order_id)"
    ),
}
_WAREHOUSE_DEPS = [
    AssetKey([table]) for table in ("dim_customers", "fct_orders", "fct_sessions", "stg_bronze__returns")
]


def build_churn_assets(horizon_days: int) -> list[AssetsDefinition]:
    """The training asset (with its quality check) and the scoring asset, for a label horizon in days."""

    @asset(
        name=CHURN_MODEL_ASSET,
        deps=[*_WAREHOUSE_DEPS, AssetKey(["ground_truth", "customer_lifetimes"])],
        group_name="models",
        kinds=_KINDS,
        owners=[OWNER],
        check_specs=[
            AssetCheckSpec(
                CHURN_MODEL_QUALITY,
                asset=CHURN_MODEL_ASSET,
                description="On the later held-out period: ROC-AUC >= 0.80 and >= the recency baseline's + 0.03.",
            )
        ],
    )
    def churn_model(
        context: AssetExecutionContext, warehouse: WarehouseResource, lake: LakeResource, models: ModelRegistryResource
    ) -> MaterializeResult:
        """A new churn model version, judged on a later period it never saw; promoted only if its gates pass."""
        history = _read_history(warehouse)
        started = time.perf_counter()
        try:
            run = run_churn_training(history, horizon_days=horizon_days, lifetimes=lake.read("customer_lifetimes"))
        except ChurnDataError as error:
            raise Failure(description=str(error)) from None
        training_seconds = time.perf_counter() - started
        version = models.registry.register(
            CHURN_MODEL,
            artifact=run.trained,
            metrics=run.metrics,
            features=FEATURES,
            window=run.split.window,
            gates=run.gates,
            card=run.card,
        )
        context.log.info(f"churn {version.version}: {'promoted' if version.promoted else 'NOT promoted'}")
        return MaterializeResult(
            metadata={
                **{name: MetadataValue.float(value) for name, value in run.metrics.items()},
                "version": version.version,
                "promoted": version.promoted,
                "horizon days": horizon_days,
                **run.split.window.as_json(),
                "training seconds": MetadataValue.float(round(training_seconds, 2)),
                "model card": MetadataValue.path(str(version.card_path)),
            },
            check_results=[_quality_check(version)],
        )

    @asset(
        name=CHURN_SCORES,
        automation_condition=SCORES_FOLLOW_INPUTS,
        deps=[*_WAREHOUSE_DEPS, AssetKey([CHURN_MODEL_ASSET])],
        group_name="models",
        kinds=_KINDS,
        owners=[OWNER],
    )
    def churn_scores(
        context: AssetExecutionContext, warehouse: WarehouseResource, models: ModelRegistryResource
    ) -> MaterializeResult:
        """Churn probability, risk band and top risk features of every customer who has ordered, as of the last day."""
        try:
            version = models.registry.latest_promoted(CHURN_MODEL)
        except NoPromotedModelError as error:
            raise Failure(description=str(error)) from None
        trained = version.load()
        if not isinstance(trained, TrainedChurn):
            msg = f"{version.path} does not hold a churn model (found {type(trained).__name__})"
            raise Failure(description=msg)
        history = _read_history(warehouse)
        scoring_cutoff = history.observed_until + dt.timedelta(days=1)
        started = time.perf_counter()
        scores = score_churn(trained, churn_features(history, scoring_cutoff))
        scoring_seconds = time.perf_counter() - started
        if scores.is_empty():
            context.log.warning("no customer has ordered yet: churn_scores is written empty")
        frame = scores.with_columns(
            as_of_date=pl.lit(history.observed_until),
            horizon_days=pl.lit(trained.horizon_days, dtype=pl.Int32),
            model_version=pl.lit(version.version),
        )
        warehouse.replace_tables({CHURN_SCORES: frame})
        bands = Counter(frame["risk_band"].to_list())
        return MaterializeResult(
            metadata=table_metadata(
                frame,
                **{"model version": version.version, "as of": history.observed_until.isoformat()},
                **{f"{band} risk": count for band, count in sorted(bands.items())},
                **{"scoring seconds": MetadataValue.float(round(scoring_seconds, 3))},
            )
        )

    return [churn_model, churn_scores]


def _read_history(warehouse: WarehouseResource) -> ChurnHistory:
    frames = {name: warehouse.read_frame(sql) for name, sql in HISTORY_QUERIES.items()}
    try:
        return ChurnHistory.from_frames(**frames)
    except ChurnDataError as error:
        raise Failure(description=str(error)) from None


def _quality_check(version: ModelVersion) -> AssetCheckResult:
    """ERROR when a gate failed; not blocking, since the registry already keeps the version unpromoted."""
    return AssetCheckResult(
        check_name=CHURN_MODEL_QUALITY,
        passed=version.promoted,
        severity=AssetCheckSeverity.ERROR,
        description=None if version.promoted else "; ".join(gate.describe() for gate in version.failed_gates()),
        metadata={
            **{
                gate.name: MetadataValue.text(f"{gate.value:.4f} (threshold {gate.threshold:g})")
                for gate in version.gates
            },
            "version": version.version,
        },
    )
