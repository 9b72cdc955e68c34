"""Point-in-time facts about each order: what the shop knew when the order arrived.

Every fraud signal (rules, anomaly score, classifier) reads these columns, so they are computed
once, vectorised over all orders with polars window expressions. Each value of an order depends
only on that order and the orders placed before it; orders placed later never change it. (Orders
of the same entity at the very same microsecond count each other in the windowed counts.)
"""

from __future__ import annotations

import polars as pl

TRANSACTION_SCHEMA: dict[str, pl.DataType] = {
    "order_id": pl.String(),
    "customer_id": pl.String(),
    "ordered_at": pl.Datetime("us", "UTC"),
    "card_id": pl.String(),
    "device_id": pl.String(),
    "country_code": pl.String(),
    "latitude": pl.Float64(),
    "longitude": pl.Float64(),
    "amount": pl.Float64(),
    "item_count": pl.Int64(),
    "units": pl.Int64(),
    "home_country_code": pl.String(),
    "home_latitude": pl.Float64(),
    "home_longitude": pl.Float64(),
    "signed_up_at": pl.Datetime("us", "UTC"),
    "discount_amount": pl.Float64(),
    "min_unit_price": pl.Float64(),
    "max_line_quantity": pl.Int64(),
}
"""The columns fraud scoring reads: an order, where and with what it was placed, the customer's home,
and the shape of its basket (null when the order has no lines, e.g. a landed shop export)."""

TRANSACTIONS_SQL = """
with baskets as (
    select
        order_id,
        sum(discount_amount)::double as discount_amount,
        min(unit_price)::double as min_unit_price,
        max(quantity)::bigint as max_line_quantity
    from main.fct_order_items
    group by order_id
)
select
    orders.order_id,
    orders.customer_id,
    orders.ordered_at,
    orders.card_id,
    orders.device_id,
    orders.country_code,
    orders.latitude,
    orders.longitude,
    orders.net_revenue::double as amount,
    orders.item_count::bigint as item_count,
    orders.units::bigint as units,
    customers.country_code as home_country_code,
    customers.latitude as home_latitude,
    customers.longitude as home_longitude,
    customers.signed_up_at,
    baskets.discount_amount,
    baskets.min_unit_price,
    baskets.max_line_quantity
from main.fct_orders as orders
left join main.dim_customers as customers using (customer_id)
left join baskets using (order_id)
order by orders.ordered_at, orders.order_id
"""
"""The warehouse query that yields TRANSACTION_SCHEMA: what a real shop sees of an order, no labels."""

_EARTH_RADIUS_KM = 6371.0
_MIN_TRAVEL_HOURS = 1.0 / 60.0
"""Orders less than a minute apart are judged as a minute apart, so speed stays finite."""


def conform_transactions(frame: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """`frame` cast to TRANSACTION_SCHEMA, or a ValueError naming `source` and what is wrong with it."""
    missing = [name for name in TRANSACTION_SCHEMA if name not in frame.columns]
    if missing:
        msg = f"{source}: missing column(s) {missing}; fraud scoring needs {list(TRANSACTION_SCHEMA)}"
        raise ValueError(msg)
    try:
        conformed = frame.select([pl.col(name).cast(dtype) for name, dtype in TRANSACTION_SCHEMA.items()])
    except pl.exceptions.InvalidOperationError as error:
        msg = f"{source}: a column does not have the expected type ({error})"
        raise ValueError(msg) from None
    for column in ("order_id", "customer_id", "ordered_at", "amount"):
        nulls = conformed.filter(pl.col(column).is_null())
        if nulls.height:
            msg = f"{source}: column {column!r} is null in {nulls.height} row(s), e.g. order {nulls['order_id'][0]!r}"
            raise ValueError(msg)
    duplicated = conformed.filter(pl.col("order_id").is_duplicated())
    if duplicated.height:
        msg = f"{source}: order_id must be unique, {duplicated['order_id'][0]!r} appears more than once"
        raise ValueError(msg)
    return conformed


def haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = lat1.radians(), lat2.radians()
    half_dlat, half_dlon = (phi2 - phi1) / 2, (lon2.radians() - lon1.radians()) / 2
    a = half_dlat.sin().pow(2) + phi1.cos() * phi2.cos() * half_dlon.sin().pow(2)
    return 2 * _EARTH_RADIUS_KM * a.clip(0.0, 1.0).sqrt().arcsin()


def window_count(entity: str, minutes: float, *, where: pl.Expr | None = None) -> pl.Expr:
    """Orders of the same `entity` in the `minutes` up to and including each order (0 if `entity` is null).

    With `where`, only orders matching it are counted. Needs the frame sorted by `ordered_at`.
    """
    counted = (pl.col("ordered_at").is_not_null() if where is None else where).cast(pl.Int64)
    window = f"{round(minutes * 60_000_000)}us"
    count = counted.rolling_sum_by("ordered_at", window_size=window).over(entity)
    return pl.when(pl.col(entity).is_not_null()).then(count).otherwise(0)


def _first_use(*keys: str) -> pl.Expr:
    """True on the first order with this combination of keys (e.g. a customer's first use of a device)."""
    return pl.int_range(pl.len()).over(keys) == 0


def point_in_time_features(transactions: pl.DataFrame) -> pl.DataFrame:
    """Transactions sorted by time, with each customer's history before every order summarised.

    Added columns: `prior_orders`, `prior_mean_amount`, `prior_std_amount` (population, of the
    customer's earlier orders), `shop_mean_amount`, `shop_std_amount` (of every earlier order in
    the shop: the yardstick for a customer without history), `minutes_since_previous`,
    `distance_from_previous_km`, `speed_from_previous_kmh`, `distance_from_home_km`,
    `is_new_device`, `is_new_card`, `is_foreign`, `is_new_country`, `account_age_days`,
    `hour_of_day`. Nulls mean "no earlier order to compare with".
    """
    customer = "customer_id"
    prior_orders = pl.int_range(pl.len()).over(customer)
    prior_sum = (pl.col("amount").cum_sum() - pl.col("amount")).over(customer)
    prior_sum_sq = (pl.col("amount").pow(2).cum_sum() - pl.col("amount").pow(2)).over(customer)
    shop_orders = pl.int_range(pl.len())
    shop_sum = pl.col("amount").cum_sum() - pl.col("amount")
    shop_sum_sq = pl.col("amount").pow(2).cum_sum() - pl.col("amount").pow(2)
    previous = {name: pl.col(name).shift(1).over(customer) for name in ("ordered_at", "latitude", "longitude")}
    history = transactions.sort("ordered_at", "order_id").with_columns(
        prior_orders.alias("prior_orders"),
        pl.when(prior_orders > 0).then(prior_sum / prior_orders).alias("prior_mean_amount"),
        pl.when(prior_orders > 0).then(prior_sum_sq / prior_orders).alias("_prior_mean_sq"),
        pl.when(shop_orders > 0).then(shop_sum / shop_orders).alias("shop_mean_amount"),
        pl.when(shop_orders > 0).then(shop_sum_sq / shop_orders).alias("_shop_mean_sq"),
        ((pl.col("ordered_at") - previous["ordered_at"]).dt.total_seconds() / 60.0).alias("minutes_since_previous"),
        haversine_km(previous["latitude"], previous["longitude"], pl.col("latitude"), pl.col("longitude")).alias(
            "distance_from_previous_km"
        ),
        haversine_km(pl.col("home_latitude"), pl.col("home_longitude"), pl.col("latitude"), pl.col("longitude")).alias(
            "distance_from_home_km"
        ),
        (_first_use(customer, "device_id") & pl.col("device_id").is_not_null()).alias("is_new_device"),
        (_first_use(customer, "card_id") & pl.col("card_id").is_not_null()).alias("is_new_card"),
        (pl.col("country_code") != pl.col("home_country_code")).fill_null(value=False).alias("is_foreign"),
        ((pl.col("ordered_at") - pl.col("signed_up_at")).dt.total_seconds() / 86_400.0).alias("account_age_days"),
        pl.col("ordered_at").dt.hour().cast(pl.Int64).alias("hour_of_day"),
    )
    hours = (pl.col("minutes_since_previous") / 60.0).clip(lower_bound=_MIN_TRAVEL_HOURS)
    return history.with_columns(
        (pl.col("_prior_mean_sq") - pl.col("prior_mean_amount").pow(2))
        .clip(lower_bound=0.0)
        .sqrt()
        .alias("prior_std_amount"),
        (pl.col("_shop_mean_sq") - pl.col("shop_mean_amount").pow(2))
        .clip(lower_bound=0.0)
        .sqrt()
        .alias("shop_std_amount"),
        (pl.col("distance_from_previous_km") / hours).alias("speed_from_previous_kmh"),
        (pl.col("is_foreign") & _first_use(customer, "country_code")).alias("is_new_country"),
    ).drop("_prior_mean_sq", "_shop_mean_sq")
