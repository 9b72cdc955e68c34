"""Bronze assets: the synthetic shop's days, generated and landed in Delta Lake.

The generator's hidden truth (customer dropout dates, fraud labels) is written in the same run to
the `ground_truth` zone, as separate assets that no dbt source reads.
"""

import datetime as dt
from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    PartitionsDefinition,
    multi_asset,
)

from assets.metadata import table_metadata
from assets.retries import IO_RETRY_POLICY
from ecap_pipeline.lake.bronze import BatchInfo
from ecap_pipeline.lake.contracts import BRONZE_TABLES, GROUND_TRUTH_TABLES, zone_of
from resources.generator import ShopGeneratorResource
from resources.lake import LakeResource

OWNER = "team:data-engineering"
DESCRIPTIONS: dict[str, str] = {
    "customers": "Customers of the synthetic shop, one row each, landed on their signup day.",
    "products": "Daily snapshot of the product catalog: category, brand, price and unit cost.",
    "sessions": "Web and app sessions: who visited, when, on which device and through which channel.",
    "events": "Clickstream events of every session, from page view to purchase.",
    "orders": "Orders placed at the end of purchasing sessions, with payment method and device.",
    "order_items": "Order lines: product, quantity, unit price, unit cost and discount.",
    "returns": "Returned order lines and their refunds, landed with the day of the original order.",
    "campaign_spend": "Daily spend, impressions and clicks of every running marketing campaign.",
    "touchpoints": "Marketing touches per customer (ad clicks that open sessions, impressions, emails).",
    "customer_lifetimes": "Ground truth: when each customer's latent lifetime ends. For model evaluation only.",
    "fraud_labels": "Ground truth: every injected fraudulent order and its pattern. For model evaluation only.",
}
LAKE_TABLES: tuple[str, ...] = (*BRONZE_TABLES, *GROUND_TRUTH_TABLES)


def build_bronze_assets(partitions: PartitionsDefinition) -> AssetsDefinition:
    """The multi-asset that generates whole days and writes every bronze table for them."""

    @multi_asset(
        name="synthetic_shop",
        specs=[
            AssetSpec(
                key=[zone_of(table), table],
                description=DESCRIPTIONS[table],
                group_name="ingestion",
                kinds={"polars", "delta"},
                owners=[OWNER],
                partitions_def=partitions,
                metadata={"table": f"lake/{zone_of(table)}/{table}"},
            )
            for table in LAKE_TABLES
        ],
        backfill_policy=BackfillPolicy.single_run(),
        retry_policy=IO_RETRY_POLICY,
    )
    def synthetic_shop(
        context: AssetExecutionContext, generator: ShopGeneratorResource, lake: LakeResource
    ) -> Iterator[MaterializeResult]:
        """Generate the shop's days and replace those partitions of every bronze and ground-truth table."""
        days = [dt.date.fromisoformat(key) for key in context.partition_keys]
        batch = BatchInfo(batch_id=context.run.run_id, ingested_at=dt.datetime.now(dt.UTC), source="generator")
        written = lake.write_generated_days(LAKE_TABLES, days, generator.generate_day, batch)
        for table, write in written.items():
            result = write.result
            context.log.info(
                f"{zone_of(table)}/{table}: {result.rows_written} rows for {len(days)} day(s), version {result.version}"
            )
            yield MaterializeResult(
                asset_key=[zone_of(table), table],
                metadata={
                    **table_metadata(
                        write.preview,
                        delta_version=result.version,
                        path=str(result.path),
                        partitions_written=len(days),
                    ),
                    "dagster/row_count": result.rows_written,
                },
            )

    return synthetic_shop
