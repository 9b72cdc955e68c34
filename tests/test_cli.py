"""The `ecap` command refuses bad input before doing any work, naming what is wrong."""

from __future__ import annotations

import pytest

from ecap_pipeline.cli import main
from tests.conftest import tiny_environment


def test_build_with_end_before_start_exits_2_naming_the_setting(tmp_path, monkeypatch, capsys) -> None:
    tiny_environment(monkeypatch, tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--start", "2025-09-10", "--end", "2025-09-01"])
    assert exit_info.value.code == 2
    assert "ECAP_END_DATE" in capsys.readouterr().err


def test_build_with_unknown_scale_exits_2_listing_the_scales(tmp_path, monkeypatch, capsys) -> None:
    tiny_environment(monkeypatch, tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--scale", "enormous"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "--scale" in error
    assert "tiny" in error


def test_build_into_an_unwritable_data_dir_exits_2_naming_the_setting(tmp_path, monkeypatch, capsys) -> None:
    tiny_environment(monkeypatch, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--data-dir", str(blocker / "data")])
    assert exit_info.value.code == 2
    assert "ECAP_DATA_DIR" in capsys.readouterr().err
