"""How completely the dbt docs site describes the warehouse.

`dbt docs generate` writes two files: `manifest.json` holds what the project says (descriptions
written in the YAML), `catalog.json` what the database holds (the columns each table really has).
Comparing them finds the columns an analyst would see in the docs site without a word of
explanation, and the described columns that no longer exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCUMENTED_RESOURCES = ("model.", "seed.")
"""The nodes analysts query; tests and operations have no columns to describe."""


@dataclass(frozen=True)
class DocsCoverage:
    """What the docs site describes, and what it leaves out."""

    relations: int
    columns: int
    undescribed_relations: tuple[str, ...]
    undescribed_columns: tuple[str, ...]
    stale_columns: tuple[str, ...]
    """Columns described in YAML that the built table does not have (`relation.column`)."""

    @property
    def gaps(self) -> tuple[str, ...]:
        """Every undescribed table, undescribed column and stale description, by name."""
        return (*self.undescribed_relations, *self.undescribed_columns, *self.stale_columns)

    @property
    def is_complete(self) -> bool:
        return not self.gaps


def docs_coverage(target_dir: Path) -> DocsCoverage:
    """Compare the descriptions in `manifest.json` with the columns in `catalog.json` under `target_dir`."""
    manifest = _read_json(target_dir / "manifest.json")
    catalog = _read_json(target_dir / "catalog.json")
    undescribed_relations: list[str] = []
    undescribed_columns: list[str] = []
    stale_columns: list[str] = []
    columns = 0
    built = {
        unique_id: node for unique_id, node in catalog["nodes"].items() if unique_id.startswith(DOCUMENTED_RESOURCES)
    }
    for unique_id, built_node in sorted(built.items()):
        declared = manifest["nodes"][unique_id]
        name = declared["name"]
        if not declared.get("description", "").strip():
            undescribed_relations.append(name)
        described = {
            column.lower()
            for column, properties in declared.get("columns", {}).items()
            if properties.get("description", "").strip()
        }
        present = {column.lower() for column in built_node["columns"]}
        columns += len(present)
        undescribed_columns.extend(f"{name}.{column}" for column in sorted(present - described))
        stale_columns.extend(f"{name}.{column}" for column in sorted(described - present))
    return DocsCoverage(
        relations=len(built),
        columns=columns,
        undescribed_relations=tuple(undescribed_relations),
        undescribed_columns=tuple(undescribed_columns),
        stale_columns=tuple(stale_columns),
    )


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        msg = f"{path} is missing: run `dbt docs generate` with this target path first"
        raise FileNotFoundError(msg)
    return json.loads(path.read_text())
