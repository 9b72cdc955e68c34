"""The job that ingests landed files: the landing-zone sensor requests one run per file."""

from dagster import Config, Failure, JobDefinition, MetadataValue, OpExecutionContext, Output, job, op

from ecap_pipeline.landing.ingest import IngestReport
from ecap_pipeline.landing.layout import LandedFileGoneError, LandingPathError
from resources.landing import LandingResource

INGEST_LANDED_FILES = "ingest_landed_files"
INGEST_OP = "ingest_files"


class IngestConfig(Config):
    """Which landed files to ingest, each as `<table>/<file>` relative to the landing folder."""

    files: list[str]


@op(name=INGEST_OP, tags={"kind": "delta"})
def ingest_landed_files_op(context: OpExecutionContext, config: IngestConfig, landing: LandingResource) -> Output[None]:
    """Validate each requested file against its table's contract, land valid rows in bronze, quarantine the rest."""
    reports: list[IngestReport] = []
    for name in config.files:
        try:
            report = landing.ingest(name)
        except LandedFileGoneError as error:
            context.log.warning(f"skipped: {error}")
            continue
        except LandingPathError as error:
            raise Failure(description=str(error)) from None
        context.log.info(report.summary())
        reports.append(report)
    return Output(
        None,
        metadata={
            "files": len(reports),
            "rows_accepted": sum(report.accepted for report in reports),
            "rows_quarantined": sum(report.quarantined for report in reports),
            "files_rejected": sum(report.rejected_reason is not None for report in reports),
            "report": MetadataValue.md(_markdown(reports)),
        },
    )


def _markdown(reports: list[IngestReport]) -> str:
    lines = ["| file | rows in | accepted | quarantined | rejected because |", "| --- | --- | --- | --- | --- |"]
    lines.extend(
        f"| {r.file} | {r.rows_in} | {r.accepted} | {r.quarantined} | {r.rejected_reason or ''} |" for r in reports
    )
    return "\n".join(lines)


def ingest_landed_files_job() -> JobDefinition:
    """Ingest the landed files given in the run config (the sensor fills it in, one file per run)."""

    @job(name=INGEST_LANDED_FILES, description="Validate landed files, land valid rows in bronze, quarantine the rest.")
    def ingest_landed_files() -> None:
        ingest_landed_files_op()

    return ingest_landed_files
