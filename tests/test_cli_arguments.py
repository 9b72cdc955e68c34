"""Bad arguments to `ecap` exit 2 with one line naming the argument and the rule, before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecap_pipeline.cli import main
from tests.conftest import tiny_environment


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny shop's settings in the environment, restored after the test whatever main() sets."""
    tiny_environment(monkeypatch, tmp_path / "data")
    for variable in ("ECAP_SCALE_OVERRIDES", "ECAP_FRAUD_RATE", "ECAP_RETENTION_DAYS"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path / "data"


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run `ecap argv`, check it exits 2 with one line, and return that line."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["generate", "--days", "-3"], ["ecap generate: error: argument --days:", "1 or more", "'-3'"]),
        (["generate", "--days", "0"], ["argument --days:", "1 or more"]),
        (["generate", "--days", "three"], ["argument --days:", "'three'"]),
        (["generate", "--days", "3", "--end", "2025-09-09"], ["argument --end: not allowed with argument --days"]),
        (["generate", "--scale", "enormous"], ["argument --scale: invalid choice: 'enormous'", "tiny"]),
        (["build", "--scale", "enormous"], ["ecap build: error: argument --scale", "tiny"]),
        (
            ["generate", "--start", "2025-09-10", "--end", "2025-09-01"],
            ["argument --end:", "ECAP_END_DATE='2025-09-01'", "before ECAP_START_DATE=2025-09-10"],
        ),
        (["generate", "--start", "2025-13-01"], ["argument --start:", "expected a date as YYYY-MM-DD"]),
        (["build", "--seed", "x"], ["argument --seed: invalid int value: 'x'"]),
        (["restore", "orders", "--version", "-1"], ["ecap restore: error: argument --version:", "0 or more"]),
        (["restore", "orders"], ["the following arguments are required: --version"]),
        (["ingest", "no-such-file.csv"], ["argument file: no-such-file.csv does not exist or is not a file"]),
        (["frobnicate"], ["argument COMMAND: invalid choice: 'frobnicate'"]),
    ],
)
def test_a_bad_argument_exits_2_with_one_line_naming_it_and_builds_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: list[str]
) -> None:
    line = _refused(argv, capsys)
    for part in expected:
        assert part in line
    assert not (data_dir / "lake").exists()
    assert not (data_dir / "warehouse").exists()


def test_a_bad_setting_from_the_environment_is_named_by_its_variable(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ECAP_END_DATE", "2025-08-01")
    line = _refused(["generate"], capsys)
    assert line.startswith("ecap generate: error: setting ECAP_END_DATE='2025-08-01' is invalid")


@pytest.mark.parametrize("command", ["docs", "docs --open"])
def test_docs_without_a_warehouse_exits_2_pointing_at_the_build(
    data_dir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    line = _refused([*command.split(), "--data-dir", str(data_dir)], capsys)
    assert line == (
        f"ecap docs: error: argument --data-dir: no warehouse at {data_dir / 'warehouse' / 'ecap.duckdb'}; "
        "run `ecap build` first"
    )
    assert not (data_dir / "docs").exists()
