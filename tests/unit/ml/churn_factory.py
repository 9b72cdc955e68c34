"""Hand-made and simulated shop histories for the churn unit tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ecap_pipeline.ml.churn_history import ChurnHistory

DAY0 = dt.date(2025, 1, 1)
SEGMENTS = ("new", "returning", "loyal")


def day(offset: int) -> dt.date:
    return DAY0 + dt.timedelta(days=offset)


def history_from_rows(
    *,
    customers: list[tuple[str, int, str, str]],
    orders: list[tuple[str, int, float]],
    sessions: list[tuple[str, int]] = (),  # type: ignore[assignment]
    returns: list[tuple[str, int, float]] = (),  # type: ignore[assignment]
    observed_until: int | None = None,
) -> ChurnHistory:
    """Rows as (customer, day offset, ...) tuples: customers (id, signup, segment, channel), orders
    (id, day, net revenue; gross = net + 10% discount), sessions (id, day), returns (id, day, refund)."""
    return ChurnHistory.from_frames(
        customers=pl.DataFrame(
            [(c, day(d), s, ch) for c, d, s, ch in customers],
            schema=["customer_id", "signup_date", "behaviour_segment", "acquisition_channel"],
            orient="row",
        ),
        orders=pl.DataFrame(
            [(c, day(d), net * 1.1, net * 0.1, net) for c, d, net in orders],
            schema=["customer_id", "order_date", "gross_revenue", "discount_amount", "net_revenue"],
            orient="row",
        ),
        sessions=pl.DataFrame(
            [(c, day(d), 120.0, 3, 1) for c, d in sessions],
            schema={
                "customer_id": pl.String,
                "session_date": pl.Date,
                "duration_seconds": pl.Float64,
                "product_view_count": pl.Int64,
                "add_to_cart_count": pl.Int64,
            },
            orient="row",
        ),
        returns=pl.DataFrame(
            [(c, day(d), refund) for c, d, refund in returns],
            schema={"customer_id": pl.String, "return_date": pl.Date, "refund_amount": pl.Float64},
            orient="row",
        ),
        observed_until=None if observed_until is None else day(observed_until),
    )


def simulated_shop(*, customers: int = 600, days: int = 150, seed: int = 3) -> tuple[ChurnHistory, pl.DataFrame]:
    """A shop whose customers order at a personal daily rate until a latent dropout day, then vanish,
    and its ground truth (`customer_id`, `dropout_at`).

    Churn is learnable here (recent, frequent buyers of durable segments come back), which is what
    a training run needs; the exact figures are not the point of the tests that use it.
    """
    rng = np.random.default_rng(seed)
    ids = [f"C{number:05d}" for number in range(customers)]
    segment = rng.integers(0, len(SEGMENTS), customers)
    signup = rng.integers(0, days // 2, customers)
    dropout = signup + 1 + rng.exponential(np.array([40.0, 120.0, 400.0])[segment]).astype(np.int64)
    rate = np.array([0.03, 0.06, 0.12])[segment]
    grid = np.arange(days)
    alive = (grid[None, :] >= signup[:, None]) & (grid[None, :] < dropout[:, None])
    who, when = np.nonzero(alive & (rng.random((customers, days)) < rate[:, None]))
    amounts = rng.gamma(2.0, 30.0, who.size)
    returned = rng.random(who.size) < 0.1
    visitor, visit_day = np.nonzero(alive & (rng.random((customers, days)) < 2 * rate[:, None]))
    history = history_from_rows(
        customers=[
            (ids[n], int(signup[n]), SEGMENTS[segment[n]], "email" if n % 2 else "social") for n in range(customers)
        ],
        orders=[(ids[n], int(d), float(a)) for n, d, a in zip(who, when, amounts, strict=True)],
        sessions=[(ids[n], int(d)) for n, d in zip(visitor, visit_day, strict=True)],
        returns=[(ids[n], int(d) + 3, float(a)) for n, d, a, r in zip(who, when, amounts, returned, strict=True) if r],
        observed_until=days - 1,
    )
    lifetimes = pl.DataFrame(
        {
            "customer_id": ids,
            "dropout_at": [dt.datetime.combine(day(int(d)), dt.time(), tzinfo=dt.UTC) for d in dropout],
        }
    )
    return history, lifetimes
