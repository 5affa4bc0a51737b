"""SQL of the benchmarks: the known industries, the store's industry, and the channel's metrics rated
by the warehouse function ``benchmark_window`` (dim_benchmarks, dim_stores)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def benchmark_industries(wh: Warehouse) -> list[str]:
    rows = wh.fetch(sql.SQL("select distinct industry from {m}.dim_benchmarks").format(m=wh.m))
    return sorted(r["industry"] for r in rows if r["industry"])


def benchmark_window(wh: Warehouse, store_id: str, channel: str, industry: str,
                     start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The channel's metrics over the range rated by the warehouse (the function
    ``benchmark_window`` that dbt builds from macros/benchmarks.sql, the same rule and FX
    conversion as fct_benchmark_comparison): one row per band metric, values unrounded."""
    return wh.fetch(sql.SQL(
        "select metric, industry, value, poor, average, good, excellent, direction, unit, currency, "
        "benchmark_currency, fx_rate, fx_rate_date, value_in_benchmark_currency, rating, rating_reason "
        "from {m}.benchmark_window(%(store)s, %(channel)s, %(industry)s, %(start)s, %(end)s)"
    ).format(m=wh.m), {"store": store_id, "channel": channel, "industry": industry, "start": start, "end": end})


def store_benchmark_industry(wh: Warehouse, store_id: str) -> str | None:
    """The industry the store's benchmarks are read for (marts.dim_stores), None if unknown."""
    row = wh.one(sql.SQL("select benchmark_industry from {m}.dim_stores where store_id = %s")
                 .format(m=wh.m), (store_id,))
    return row["benchmark_industry"] if row else None
