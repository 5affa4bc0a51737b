"""A store's daily series from the marts, and all its forecasts.

The series: ``fct_unified_metrics`` daily channel rollups (source ``all``; channel ``overall`` is the
store rollup), one value per store-local day from the store's first to its last data day
(``fct_store_data_dates``), 0 on days without a row. Revenue and conversions are the marts' (the
default attribution model).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

import numpy as np
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from insight_service.core.vocabulary import CHANNELS
from insight_service.forecast import METRICS, OVERALL
from insight_service.forecast.models import (
    MAX_HORIZON,
    MIN_HISTORY_DAYS,
    RESELECT_DAYS,
    Calibration,
    Regressor,
    SeriesForecast,
    forecast_series,
)
from insight_service.forecast.plans import ContractPlan, read_contracts

SERIES_CHANNELS = (*CHANNELS, OVERALL)
INFLUENCER = "influencer"
PLANNED_METRICS = ("revenue", "conversions", "sessions")


@dataclasses.dataclass
class StoreSeries:
    store_id: str
    first_day: dt.date
    last_day: dt.date
    values: dict[tuple[str, str], np.ndarray]   # (metric, channel) -> daily values
    contracts: ContractPlan | None = None       # the influencer contracts, days relative to first_day

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def regressor(self, metric: str, channel: str) -> Regressor | None:
        """The known-future regressor of a series: the influencer contracts' planned fees, for the visits,
        orders and revenue the posts bring (not for the fees themselves: each is paid in one lump on a post
        day the contract does not fix, which the intermittent models forecast better, see DECISIONLOG)."""
        if channel != INFLUENCER or metric not in PLANNED_METRICS or self.contracts is None:
            return None
        return self.contracts.intensity


@dataclasses.dataclass
class StoreForecast:
    store_id: str
    last_data_date: dt.date | None
    history_days: int
    series: dict[tuple[str, str], SeriesForecast]
    duration_s: float
    status: str = "ok"              # ok | insufficient_history | no_data

    def models(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.series.values():
            counts[s.model] = counts.get(s.model, 0) + 1
        return dict(sorted(counts.items()))


def data_range(conn: psycopg.Connection, store_id: str, marts_schema: str = "marts") -> tuple[dt.date, dt.date] | None:
    row = conn.execute(sql.SQL("select first_data_date, last_data_date from {} where store_id = %s")
                       .format(sql.Identifier(marts_schema, "fct_store_data_dates")), (store_id,)).fetchone()
    return (row[0], row[1]) if row and row[0] is not None and row[1] is not None else None


def store_ids(conn: psycopg.Connection, marts_schema: str = "marts") -> list[str]:
    rows = conn.execute(sql.SQL("select store_id from {} where last_data_date is not null order by store_id")
                        .format(sql.Identifier(marts_schema, "fct_store_data_dates"))).fetchall()
    return [r[0] for r in rows]


def read_series(conn: psycopg.Connection, store_id: str, start: dt.date, end: dt.date,
                marts_schema: str = "marts") -> dict[tuple[str, str], np.ndarray]:
    """Dense daily arrays of [start, end] per (metric, channel), 0 where the marts have no row."""
    query = sql.SQL(
        "with days as (select d::date as date from generate_series(%(start)s::date, %(end)s::date, "
        "  interval '1 day') as d), "
        "channels as (select unnest(%(channels)s::text[]) as channel), "
        "daily as (select period_start, channel, revenue, cost, conversions, sessions from {m} "
        "  where store_id = %(store)s and period = 'daily' and source = 'all' "
        "  and period_start between %(start)s and %(end)s) "
        "select channels.channel, "
        "array_agg(coalesce(daily.revenue, 0)::float8 order by days.date) as revenue, "
        "array_agg(coalesce(daily.cost, 0)::float8 order by days.date) as cost, "
        "array_agg(coalesce(daily.conversions, 0)::float8 order by days.date) as conversions, "
        "array_agg(coalesce(daily.sessions, 0)::float8 order by days.date) as sessions "
        "from channels cross join days "
        "left join daily on daily.channel = channels.channel and daily.period_start = days.date "
        "group by channels.channel"
    ).format(m=sql.Identifier(marts_schema, "fct_unified_metrics"))
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(query, {"store": store_id, "start": start, "end": end,
                                   "channels": list(SERIES_CHANNELS)}).fetchall()
    return {(metric, row["channel"]): np.asarray(row[metric], dtype=float) for row in rows for metric in METRICS}


def load_store(conn: psycopg.Connection, store_id: str, marts_schema: str = "marts") -> StoreSeries | None:
    span = data_range(conn, store_id, marts_schema)
    if span is None:
        return None
    return StoreSeries(store_id, span[0], span[1], read_series(conn, store_id, span[0], span[1], marts_schema),
                       read_contracts(conn, store_id, span[0], marts_schema))


def reusable(previous: dict[tuple[str, str], Calibration] | None,
             last_day: dt.date) -> dict[tuple[str, str], Calibration]:
    """The stored selections still young enough to refit their model alone (RESELECT_DAYS): the daily
    refresh refits one model per series instead of every candidate on every calibration window."""
    out = {}
    for key, calibration in (previous or {}).items():
        age = (last_day - calibration.selected_on).days if calibration.selected_on else None
        if age is not None and 0 <= age < RESELECT_DAYS:
            out[key] = calibration
    return out


def forecast_store(conn: psycopg.Connection, store_id: str, marts_schema: str = "marts",
                   horizon: int = MAX_HORIZON,
                   previous: dict[tuple[str, str], Calibration] | None = None) -> StoreForecast:
    """Every (metric, channel) forecast of the store, from its data in the marts now; ``previous``
    (the stored selections, forecast.store.calibrations) lets young selections be reused."""
    started = time.monotonic()
    data = load_store(conn, store_id, marts_schema)
    if data is None:
        return StoreForecast(store_id, None, 0, {}, time.monotonic() - started, status="no_data")
    if data.days < MIN_HISTORY_DAYS:
        return StoreForecast(store_id, data.last_day, data.days, {}, time.monotonic() - started,
                             status="insufficient_history")
    reuse = reusable(previous, data.last_day)
    series = {key: forecast_series(values, horizon, data.regressor(*key), data.last_day, reuse=reuse.get(key))
              for key, values in data.values.items()}
    return StoreForecast(store_id, data.last_day, data.days, series, time.monotonic() - started)


def summary(result: StoreForecast) -> dict[str, Any]:
    return {"store_id": result.store_id, "status": result.status, "series": len(result.series),
            "last_data_date": result.last_data_date.isoformat() if result.last_data_date else None,
            "history_days": result.history_days, "models": result.models(),
            "refitted": sum(s.refitted for s in result.series.values()),
            "duration_s": round(result.duration_s, 2)}
