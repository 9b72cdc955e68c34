"""Predictive CLV assets: train and judge BG/NBD + Gamma-Gamma, then score every customer into the warehouse."""

import datetime as dt

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.automation import SCORES_FOLLOW_INPUTS
from assets.metadata import markdown_table, table_metadata
from assets.model_versions import gates_text, model_metadata, quality_check_result
from ecap_pipeline.ml.clv_model import ORDER_COLUMNS, ClvModel, predict_clv, train_clv
from ecap_pipeline.ml.registry import ModelCard
from resources.models import ModelRegistryResource
from resources.warehouse import WarehouseResource

OWNER = "team:data-science"
MODEL = "clv"
CLV_MODEL = "clv_model"
CLV_PREDICTIONS = "clv_predictions"
QUALITY_CHECK = "clv_model_quality"
_ORDERS_SQL = f"select {', '.join(ORDER_COLUMNS)} from main.fct_orders"

CARD = ModelCard(
    title="Predictive customer lifetime value",
    purpose=(
        "Expected purchases over the next 90 and 365 days, the probability each customer is still active, "
        "and the discounted 12-month margin they will bring (`clv_predictions`)."
    ),
    method=(
        "BG/NBD (Fader, Hardie & Lee 2005) for purchase occasions and Gamma-Gamma (Fader & Hardie 2013) for "
        "spend per occasion, both by maximum likelihood (scipy L-BFGS-B) on daily purchase occasions from "
        "`fct_orders` (net revenue). CLV = margin share x E[spend] x expected purchases per month, discounted "
        "monthly at 10% a year. The stored artifact is the fit on every order up to the last day; the metrics "
        "come from a fit on the calibration period judged against the holdout that follows it."
    ),
    limitations=(
        "Assumes purchases follow a Poisson process while alive and dropout can happen only right after a "
        "purchase; the synthetic shop ends lifetimes on calendar dates instead, so on its data the dropout "
        "rate fits near zero and P(alive) stays near 1. Refunds are not netted out of spend. Spend and "
        "purchase frequency are assumed independent (Gamma-Gamma's premise)."
    ),
)


def build_clv_assets(first_day: dt.date, last_day: dt.date) -> list[AssetsDefinition]:
    """The training asset (with its quality check) and the scoring asset for the configured range."""

    @asset(
        name=CLV_MODEL,
        deps=[AssetKey(["fct_orders"])],
        group_name="models",
        kinds={"scipy", "duckdb"},
        owners=[OWNER],
        check_specs=[
            AssetCheckSpec(
                QUALITY_CHECK,
                asset=CLV_MODEL,
                description="BG/NBD recovers known parameters within 10% on 200,000 simulated customers.",
            )
        ],
    )
    def clv_model(
        context: AssetExecutionContext, warehouse: WarehouseResource, models: ModelRegistryResource
    ) -> MaterializeResult:
        """Fit BG/NBD and Gamma-Gamma, judge them on a holdout, store a version (promoted if its gate passes)."""
        trained = train_clv(warehouse.read_frame(_ORDERS_SQL), first_day=first_day, last_day=last_day)
        version = models.registry.register(
            MODEL,
            artifact=trained.model,
            metrics=trained.metrics,
            features=["frequency", "recency", "T", "monetary_value"],
            window=trained.window,
            gates=trained.gates,
            card=CARD,
        )
        context.log.info(f"clv {version.version}: promoted={version.promoted}; " + gates_text(version.gates))
        return MaterializeResult(
            metadata={
                **model_metadata(version),
                "holdout calibration": MetadataValue.md(markdown_table(trained.calibration)),
            },
            check_results=[quality_check_result(QUALITY_CHECK, version)],
        )

    @asset(
        name=CLV_PREDICTIONS,
        automation_condition=SCORES_FOLLOW_INPUTS,
        deps=[clv_model, AssetKey(["fct_orders"])],
        group_name="models",
        kinds={"scipy", "duckdb"},
        owners=[OWNER],
    )
    def clv_predictions(warehouse: WarehouseResource, models: ModelRegistryResource) -> MaterializeResult:
        """Per customer: expected purchases in 90/365 days, P(alive), predicted 12-month CLV (warehouse table)."""
        version = models.registry.latest_promoted(MODEL)
        model = version.load()
        if not isinstance(model, ClvModel):
            msg = f"{version.path} does not hold a CLV model (found {type(model).__name__})"
            raise TypeError(msg)
        predictions = predict_clv(model, warehouse.read_frame(_ORDERS_SQL), model_version=version.version)
        warehouse.replace_tables({CLV_PREDICTIONS: predictions})
        return MaterializeResult(metadata=table_metadata(predictions, model_version=version.version))

    return [clv_model, clv_predictions]
