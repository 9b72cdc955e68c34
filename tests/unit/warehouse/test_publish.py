"""Publishing the warehouse: readers never meet a writer, and a failed writer changes nothing."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from ecap_pipeline.warehouse.publish import (
    NEXT_DIR,
    WRITER_LOCK,
    WarehouseInUseError,
    next_path,
    publishing,
    scratch_copy,
)

_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
import duckdb
from ecap_pipeline.warehouse.publish import publishing
with publishing(Path(sys.argv[1])) as private:
    connection = duckdb.connect(str(private))
    connection.execute("create or replace table generation as select 99 as number")
    os.kill(os.getpid(), signal.SIGKILL)
"""

_READ_WRITE_HOLDER = """
import sys
import duckdb
connection = duckdb.connect(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
"""


def _publish_generation(published: Path, number: int, *, rows: int = 3) -> None:
    with publishing(published) as private, duckdb.connect(str(private)) as connection:
        connection.execute(
            f"create or replace table generation as select {number} as number, range as row from range({rows})"
        )


def _generation(published: Path) -> int:
    with duckdb.connect(str(published), read_only=True) as connection:
        return connection.execute("select distinct number from generation").fetchone()[0]


def _tables(published: Path) -> list[str]:
    with duckdb.connect(str(published), read_only=True) as connection:
        return [name for (name,) in connection.execute("select table_name from duckdb_tables() order by 1").fetchall()]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse" / "ecap.duckdb"
    path.parent.mkdir()
    _publish_generation(path, 1)
    return path


def test_the_first_writer_creates_the_published_file(tmp_path: Path) -> None:
    path = tmp_path / "warehouse" / "ecap.duckdb"
    path.parent.mkdir()
    _publish_generation(path, 1)
    assert _generation(path) == 1


def test_the_next_generation_keeps_the_published_file_name_so_dbt_names_the_same_database(published: Path) -> None:
    assert next_path(published) == published.parent / NEXT_DIR / "ecap.duckdb"


def test_a_writer_starts_from_the_published_tables_so_other_writers_tables_persist(published: Path) -> None:
    with publishing(published) as private, duckdb.connect(str(private)) as connection:
        connection.execute("create table churn_scores as select 1 as customer_id")
    _publish_generation(published, 2)
    assert _tables(published) == ["churn_scores", "generation"]
    assert _generation(published) == 2


def test_publishing_leaves_only_the_published_file_and_the_writer_lock(published: Path) -> None:
    _publish_generation(published, 2)
    _publish_generation(published, 3)
    assert sorted(path.name for path in published.parent.iterdir()) == ["ecap.duckdb", WRITER_LOCK]


def test_a_reader_holding_the_old_generation_keeps_reading_all_of_it_after_a_publish(tmp_path: Path) -> None:
    published = tmp_path / "ecap.duckdb"
    _publish_generation(published, 1, rows=2_000_000)
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.execute("select count(*) from generation").fetchone()[0] == 2_000_000
        _publish_generation(published, 2)
        # Every value of the old file, including blocks the reader had not read before the publish.
        assert reader.execute("select min(number), max(number), sum(row) from generation").fetchone() == (
            1,
            1,
            sum(range(2_000_000)),
        )
    assert _generation(published) == 2


def test_a_writer_that_raises_publishes_nothing(published: Path) -> None:
    with pytest.raises(RuntimeError, match="dbt failed"), publishing(published) as private:
        with duckdb.connect(str(private)) as connection:
            connection.execute("create or replace table generation as select 2 as number")
        raise RuntimeError("dbt failed")
    assert _generation(published) == 1
    assert not next_path(published).parent.exists()


def test_a_writer_killed_between_copy_and_publish_leaves_the_published_file_intact(published: Path) -> None:
    killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(published)], check=False)
    assert killed.returncode == -9
    assert next_path(published).exists(), "the killed writer should have left its private copy behind"
    assert _generation(published) == 1
    _publish_generation(published, 2)
    assert _generation(published) == 2


def test_a_scratch_copy_is_writable_and_never_published(published: Path) -> None:
    with scratch_copy(published) as private, duckdb.connect(str(private)) as connection:
        connection.execute("create view bronze_orders as select 1 as order_id")
    assert _tables(published) == ["generation"]
    assert not next_path(published).parent.exists()


def test_writers_are_serialised_so_none_loses_another_ones_table(published: Path) -> None:
    def add_table(name: str) -> None:
        with publishing(published) as private, duckdb.connect(str(private)) as connection:
            connection.execute(f"create table {name} as select range as id from range(1000)")

    names = [f"scores_{index}" for index in range(4)]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        list(pool.map(add_table, names))
    assert _tables(published) == ["generation", *names]


def test_copying_refuses_while_another_process_holds_the_published_file_read_write(published: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _READ_WRITE_HOLDER, str(published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with pytest.raises(WarehouseInUseError, match=r"ecap\.duckdb is open read-write in another process"):
            _publish_generation(published, 2)
        holder.communicate("")
    assert _generation(published) == 1


def test_a_writer_that_creates_no_database_is_refused_with_the_path(tmp_path: Path) -> None:
    published = tmp_path / "ecap.duckdb"
    with pytest.raises(FileNotFoundError, match=r"left no database at .*next/ecap\.duckdb"), publishing(published):
        pass
    assert not published.exists()
