"""The analyst and data-scientist notebooks run top to bottom against a real build, and ship without outputs."""

from __future__ import annotations

import os
import sys

import duckdb
import nbformat
import pytest
from dagster import ExecuteInProcessResult
from nbclient import NotebookClient
from nbformat import NotebookNode

from ecap_pipeline.ml.churn_training import CHURN_MODEL
from ecap_pipeline.ml.registry import ModelRegistry, NoPromotedModelError
from ecap_pipeline.settings import PROJECT_ROOT
from tests.integration.conftest import Built

NOTEBOOKS = PROJECT_ROOT / "notebooks"
TOURS = ("analyst_tour.ipynb", "data_scientist_tour.ipynb")
CELL_TIMEOUT_SECONDS = 300
PLOTLY_FIGURE = 'class="plotly-graph-div"'


@pytest.mark.parametrize("name", TOURS)
def test_notebook_is_committed_without_outputs_or_execution_counts(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert [(cell.outputs, cell.execution_count) for cell in code] == [([], None)] * len(code)


def _execute(name: str, built: Built) -> tuple[NotebookNode, str]:
    """Run the notebook in a fresh kernel pointed at the built data directory; return it and its text output.

    A last cell, added to this in-memory copy only, prints the kernel's interpreter, so the test can
    check the notebook ran on this project's environment and not some other Python on the machine.
    """
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint('kernel python:', sys.executable)"))
    environment = {**os.environ, **built.settings.as_env(), "JUPYTER_PLATFORM_DIRS": "1"}
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute(env=environment)
    text = "".join(
        output.get("text", "") for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    )
    assert f"kernel python: {sys.executable}" in text
    return notebook, text


def _figures(notebook: NotebookNode) -> int:
    return sum(
        PLOTLY_FIGURE in output.get("data", {}).get("text/html", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.mark.integration
def test_analyst_tour_runs_and_reports_the_warehouses_figures(built: Built) -> None:
    notebook, text = _execute("analyst_tour.ipynb", built)

    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        orders = connection.execute("select count(*) from fct_orders").fetchone()[0]
    assert f"warehouse: {built.settings.warehouse_path}" in text
    assert f": {orders:,} orders, net revenue " in text
    assert _figures(notebook) == 6  # revenue trend, categories, RFM, cohorts, funnel, attribution


@pytest.mark.integration
def test_data_scientist_tour_lists_the_models_and_scores_a_customer(
    built: Built, retrained: ExecuteInProcessResult
) -> None:
    registry = ModelRegistry(built.settings.models_dir)
    churn_versions = registry.versions(CHURN_MODEL)
    assert retrained.run_id and churn_versions, "the retrain run stores a churn version, promoted or not"

    notebook, text = _execute("data_scientist_tour.ipynb", built)

    models = sorted(path.name for path in built.settings.models_dir.iterdir() if path.is_dir())
    assert f"{len(models)} model(s): {', '.join(models)}" in text
    try:
        scoring = f"Scoring with churn {registry.latest_promoted(CHURN_MODEL).version}, the latest promoted version."
    except NoPromotedModelError:
        scoring = (
            f"For illustration only, scoring with the latest stored version, {churn_versions[-1].version} "
            "(not promoted)."
        )
    assert scoring in text
    assert "churn probability " in text and " risk, churn v" in text
    with duckdb.connect(str(built.settings.warehouse_path), read_only=True) as connection:
        clv_rows = connection.execute("select count(*) from clv_predictions").fetchone()[0]
    assert f"clv_predictions: {clv_rows:,} rows" in text
    assert _figures(notebook) == 1
