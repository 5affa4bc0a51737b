"""SQL of the forecast: the stored fit (app.forecast_series, app.forecasts) and the history tail (marts)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def store_fit(wh: Warehouse, store_id: str) -> dict[str, Any] | None:
    return wh.one(sql.SQL("select status, fitted_at, last_data_date, history_days from {a}.forecast_stores "
                          "where store_id = %(store)s").format(a=wh.a), {"store": store_id})


def series_fit(wh: Warehouse, store_id: str, metric: str, channel: str) -> dict[str, Any] | None:
    return wh.one(sql.SQL(
        "select model, fitted_at, last_data_date from {a}.forecast_series "
        "where store_id = %(store)s and metric = %(metric)s and channel = %(channel)s"
    ).format(a=wh.a), {"store": store_id, "metric": metric, "channel": channel})


def forecast_days(wh: Warehouse, store_id: str, metric: str, channel: str, horizon: int) -> list[dict[str, Any]]:
    return wh.fetch(sql.SQL(
        "select day as date, value, lower_80, upper_80, lower_95, upper_95 from {a}.forecasts "
        "where store_id = %(store)s and metric = %(metric)s and channel = %(channel)s "
        "order by day limit %(horizon)s"
    ).format(a=wh.a), {"store": store_id, "metric": metric, "channel": channel, "horizon": horizon})


# the metric's column, picked from a fixed map (never interpolated from input)
METRIC_COLUMNS = {m: sql.Identifier(m) for m in ("revenue", "cost", "conversions", "sessions")}


def history(wh: Warehouse, store_id: str, metric: str, channel: str, start: dt.date,
            end: dt.date) -> list[dict[str, Any]]:
    """One row per day of [start, end]: the channel rollup's value, 0 on days without a row."""
    return wh.fetch(sql.SQL(
        "select days.d::date as date, coalesce(u.{col}, 0)::float8 as value "
        "from generate_series(%(start)s::date, %(end)s::date, interval '1 day') as days(d) "
        "left join {m}.fct_unified_metrics u on u.store_id = %(store)s and u.period = 'daily' "
        "and u.source = 'all' and u.channel = %(channel)s and u.period_start = days.d::date "
        "order by 1"
    ).format(col=METRIC_COLUMNS[metric], m=wh.m),
        {"store": store_id, "channel": channel, "start": start, "end": end})
