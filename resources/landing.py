"""The landing zone on local disk, as a Dagster resource."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from ecap_pipeline.landing.ingest import IngestReport, ingest_file
from ecap_pipeline.landing.layout import LandedFile, pending_files


class LandingResource(ConfigurableResource):
    """Files dropped into `<data_dir>/landing/<table>/`, ingested into `<data_dir>/lake`."""

    data_dir: str

    @property
    def landing_root(self) -> Path:
        return Path(self.data_dir) / "landing"

    def pending(self) -> list[LandedFile]:
        """The files waiting in the landing folders, oldest first."""
        return pending_files(self.landing_root)

    def ingest(self, name: str) -> IngestReport:
        """Ingest the waiting file `<table>/<file>`: valid rows to bronze, the rest to quarantine, then move it."""
        return ingest_file(Path(self.data_dir), name)
