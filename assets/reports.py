"""Report assets: the executive HTML report and the Excel workbook, rebuilt from the marts after each refresh."""

from pathlib import Path

import polars as pl
from dagster import AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from assets.metadata import markdown_table
from assets.retries import IO_RETRY_POLICY
from ecap_pipeline.reports.executive import PANELS
from ecap_pipeline.reports.kpis import format_delta, format_value
from ecap_pipeline.reports.outputs import write_report, write_workbook_export
from ecap_pipeline.reports.queries import KPIS
from ecap_pipeline.reports.workbook import WORKBOOK_MARTS
from resources.warehouse import WarehouseResource

OWNER = "team:analytics"
GROUP = "reports"
EXECUTIVE_REPORT = "executive_report"
EXCEL_EXPORT = "excel_export"
REPORT_TABLES = sorted({table for query, _ in PANELS for table in query.tables} | set(KPIS.tables))


def _panel_table(rows: list[dict[str, object]]) -> str:
    return markdown_table(pl.DataFrame(rows))


def build_report_assets(reports_dir: Path) -> list[AssetsDefinition]:
    """The report and workbook assets, writing into `reports_dir` (settings' `data/reports`)."""

    @asset(
        name=EXECUTIVE_REPORT,
        deps=[AssetKey([table]) for table in REPORT_TABLES],
        group_name=GROUP,
        kinds={"plotly", "html"},
        owners=[OWNER],
        retry_policy=IO_RETRY_POLICY,
    )
    def executive_report(warehouse: WarehouseResource) -> MaterializeResult:
        """One self-contained HTML page of KPIs and charts for executives, readable offline (`data/reports/`)."""
        result = write_report(Path(warehouse.path), reports_dir)
        panels = [
            {"panel": panel.title, "rows": panel.rows, "shown": panel.available, "note": panel.note}
            for panel in result.panels
        ]
        kpis = (
            [{"kpi": kpi.name, "value": format_value(kpi), "change": format_delta(kpi)} for kpi in result.kpis.kpis]
            if result.kpis is not None
            else [{"kpi": "none", "value": "", "change": ""}]
        )
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(result.path)),
                "size bytes": result.size_bytes,
                "panels shown": sum(panel.available for panel in result.panels),
                "panels not available": sum(not panel.available for panel in result.panels),
                "build seconds": MetadataValue.float(round(result.seconds, 2)),
                "panels": MetadataValue.md(_panel_table(panels)),
                "preview": MetadataValue.md(_panel_table(kpis)),
            }
        )

    @asset(
        name=EXCEL_EXPORT,
        deps=[AssetKey([table]) for table in WORKBOOK_MARTS],
        group_name=GROUP,
        kinds={"excel"},
        owners=[OWNER],
        retry_policy=IO_RETRY_POLICY,
    )
    def excel_export(warehouse: WarehouseResource) -> MaterializeResult:
        """A workbook of the key marts, one sheet each with a frozen bold header, for spreadsheet users."""
        result = write_workbook_export(Path(warehouse.path), reports_dir)
        sheets = [{"sheet": name, "rows": rows} for name, rows in result.sheets.items()]
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(result.path)),
                "size bytes": result.size_bytes,
                "sheets": len(result.sheets),
                "dagster/row_count": sum(result.sheets.values()),
                "marts missing": ", ".join(result.missing) or "none",
                "build seconds": MetadataValue.float(round(result.seconds, 2)),
                "preview": MetadataValue.md(_panel_table(sheets) if sheets else "_no sheets_"),
            }
        )

    return [executive_report, excel_export]
