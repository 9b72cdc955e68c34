"""The model registry of one deployment (`<data_dir>/models`), as a Dagster resource."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from ecap_pipeline.ml.registry import ModelRegistry


class ModelRegistryResource(ConfigurableResource):
    """Where training runs store their versions and scoring finds the latest promoted one."""

    root: str

    @property
    def registry(self) -> ModelRegistry:
        return ModelRegistry(Path(self.root))
