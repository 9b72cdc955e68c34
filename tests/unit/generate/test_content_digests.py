"""The generator's output is pinned byte for byte: speed work must not change a single value.

`content_digests.json` holds, for several days of the tiny, small and medium shops under two
seeds, the sha256 of every table's schema and CSV bytes in the row order the generator gives.
It was computed before any optimisation of the generator, so a faster implementation proves it
is a pure refactoring by keeping every digest. Regenerate it only for an intended change of the
synthetic data: `.venv/bin/python -m tests.unit.generate.test_content_digests`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import polars as pl
import pytest

from ecap_pipeline.generate.config import ShopConfig
from ecap_pipeline.generate.day import generate_day
from ecap_pipeline.generate.fraud import FraudPolicy
from ecap_pipeline.generate.scales import get_scale

DIGESTS = Path(__file__).with_name("data") / "content_digests.json"
OPENING_DATE = dt.date(2025, 9, 1)
SEEDS = (7, 20251201)
OFFSETS_BY_SCALE = {"tiny": (0, 5, 30, 95), "small": (0, 12, 61), "medium": (0, 40)}
"""Days after opening: the opening day (every initial customer signs up), weekends, a sale season."""
FRAUD_HEAVY_RATE = 0.2
"""At the default rate most small days get no fraud; this rate exercises injection and renumbering every day."""
FRAUD_HEAVY_OFFSETS_BY_SCALE = {"tiny": (3, 33), "small": (7, 50), "medium": (20,)}


def cases() -> list[tuple[str, int, int, float]]:
    """Every (scale, seed, day offset, fraud rate) whose tables are pinned."""
    plain = [
        (scale, seed, day, 0.01) for scale, offsets in OFFSETS_BY_SCALE.items() for seed in SEEDS for day in offsets
    ]
    heavy = [
        (scale, SEEDS[0], day, FRAUD_HEAVY_RATE) for scale, days in FRAUD_HEAVY_OFFSETS_BY_SCALE.items() for day in days
    ]
    return plain + heavy


def frame_digest(frame: pl.DataFrame) -> str:
    """sha256 of the schema (names and dtypes, so a Categorical or a width change shows) and the CSV rows."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, datetime_format="%Y-%m-%dT%H:%M:%S%.6f%z", float_precision=None)
    schema = ";".join(f"{name}:{dtype}" for name, dtype in frame.schema.items())
    return hashlib.sha256(schema.encode() + b"\n" + buffer.getvalue()).hexdigest()


def day_digests(scale: str, seed: int, offset: int, fraud_rate: float) -> dict[str, str]:
    config = ShopConfig(
        seed=seed, scale=get_scale(scale), opening_date=OPENING_DATE, fraud=FraudPolicy(rate=fraud_rate)
    )
    tables = generate_day(config, OPENING_DATE + dt.timedelta(days=offset))
    return {table: frame_digest(frame) for table, frame in tables.items()}


def case_key(scale: str, seed: int, offset: int, fraud_rate: float) -> str:
    return f"{scale}/seed={seed}/day+{offset}" + ("" if fraud_rate == 0.01 else f"/fraud={fraud_rate}")


@pytest.mark.parametrize(("scale", "seed", "offset", "fraud_rate"), cases(), ids=[case_key(*case) for case in cases()])
def test_every_table_is_byte_identical_to_the_pinned_output(
    scale: str, seed: int, offset: int, fraud_rate: float
) -> None:
    expected = json.loads(DIGESTS.read_text())[case_key(scale, seed, offset, fraud_rate)]
    assert day_digests(scale, seed, offset, fraud_rate) == expected


def test_the_digest_sees_a_single_changed_value_and_a_dtype_change() -> None:
    frame = pl.DataFrame({"event_type": ["login", "purchase"], "n": [1, 2]})
    assert frame_digest(frame) != frame_digest(frame.with_columns(n=pl.Series([1, 3])))
    assert frame_digest(frame) != frame_digest(frame.with_columns(pl.col("event_type").cast(pl.Categorical)))
    assert frame_digest(frame) != frame_digest(frame.reverse())


if __name__ == "__main__":
    DIGESTS.parent.mkdir(exist_ok=True)
    pinned = {case_key(*case): day_digests(*case) for case in cases()}
    DIGESTS.write_text(json.dumps(pinned, indent=1, sort_keys=True) + "\n")
