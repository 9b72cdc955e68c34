"""Id strings made in bulk are exactly what formatting each number would give."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from ecap_pipeline.generate.ids import fingerprints, sequential_ids, zero_padded


def _formatted(prefix: str, numbers: list[int | None], width: int) -> list[str | None]:
    return [None if number is None else f"{prefix}{number:0{width}d}" for number in numbers]


@pytest.mark.parametrize(
    ("prefix", "width", "numbers"),
    [
        pytest.param("C", 7, [1, 42, 9_999_999, 0, 1_234_567], id="customer-ids"),
        pytest.param("E20251210-", 7, list(range(1, 2_000)), id="date-stamped-sequence"),
        pytest.param("D", 12, [10**11, 999_999_999_999, 123], id="twelve-digit-fingerprints"),
        pytest.param("", 3, [5, 50, 500], id="no-prefix"),
        pytest.param("Zé-", 4, [7, 70], id="non-ascii-prefix"),
    ],
)
def test_zero_padded_numbers_equal_their_formatted_strings(prefix: str, width: int, numbers: list[int]) -> None:
    padded = zero_padded(prefix, pl.Series(numbers, dtype=pl.Int64), width=width)
    assert padded.dtype == pl.String
    assert padded.to_list() == _formatted(prefix, numbers, width)


@pytest.mark.parametrize(
    "numbers",
    [
        pytest.param([12_345, 7], id="wider-than-width"),
        pytest.param([3, None, 4], id="with-nulls"),
        pytest.param([], id="empty"),
    ],
)
def test_numbers_outside_the_fast_path_are_padded_the_same_way(numbers: list[int | None]) -> None:
    padded = zero_padded("P", pl.Series(numbers, dtype=pl.Int64), width=3)
    assert padded.dtype == pl.String
    assert padded.to_list() == _formatted("P", numbers, 3)


def test_sequential_ids_count_from_one_within_the_day() -> None:
    ids = sequential_ids("S", dt.date(2025, 9, 1), 3, width=6, name="session_id")
    assert ids.name == "session_id"
    assert ids.to_list() == ["S20250901-000001", "S20250901-000002", "S20250901-000003"]


def test_fingerprints_are_twelve_digits_behind_their_prefix() -> None:
    values = np.array([1, 10**11 + 5], dtype=np.int64)
    assert fingerprints("K", values, name="card_id").to_list() == ["K000000000001", "K100000000005"]
