"""The dbt manifest is re-parsed exactly when something it is parsed from has changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources.dbt import _source_fingerprint


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "orders.sql").write_text("select 1 as order_id")
    (tmp_path / "dbt_project.yml").write_text("name: shop")
    return tmp_path


def test_an_unchanged_project_keeps_its_fingerprint(project: Path) -> None:
    assert _source_fingerprint(project) == _source_fingerprint(project)


def test_editing_a_model_changes_the_fingerprint(project: Path) -> None:
    before = _source_fingerprint(project)
    (project / "models" / "orders.sql").write_text("select 2 as order_id")
    assert _source_fingerprint(project) != before


def test_adding_a_model_changes_the_fingerprint(project: Path) -> None:
    before = _source_fingerprint(project)
    (project / "models" / "customers.sql").write_text("select 1 as customer_id")
    assert _source_fingerprint(project) != before


def test_dbt_outputs_do_not_change_the_fingerprint(project: Path) -> None:
    before = _source_fingerprint(project)
    for folder in ("target", "logs"):
        (project / folder).mkdir()
        (project / folder / "manifest.json").write_text("{}")
    assert _source_fingerprint(project) == before


def test_a_different_data_dir_changes_the_fingerprint(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECAP_DATA_DIR", "/srv/one")
    before = _source_fingerprint(project)
    monkeypatch.setenv("ECAP_DATA_DIR", "/srv/two")
    assert _source_fingerprint(project) != before
