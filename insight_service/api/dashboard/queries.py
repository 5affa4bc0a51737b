"""SQL of the dashboard: per-channel sums of two windows and dense daily series (fct_unified_metrics)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def period_channel_totals(wh: Warehouse, store_id: str, previous_start: dt.date, start: dt.date,
                          end: dt.date) -> list[dict[str, Any]]:
    """Sums per channel rollup (source 'all') and the store rollup (channel 'overall') for the
    previous window [previous_start, start) and the current one [start, end], and their ratios by
    the marts' own rule (the safe_ratio function: null on a zero or null denominator)."""
    return wh.fetch(sql.SQL(
        "select channel, period_start >= %(start)s as is_current, sum(revenue) as revenue, "
        "sum(cost) as cost, sum(profit) as profit, sum(conversions) as conversions, "
        "sum(sessions) as sessions, "
        "{m}.safe_ratio(sum(revenue), sum(cost)) as roas, "
        "{m}.safe_ratio(sum(profit), sum(cost)) as poas, "
        "{m}.safe_ratio(sum(cost), sum(conversions)) as cpa, "
        "{m}.safe_ratio(sum(conversions) * 100, sum(sessions)) as conversion_rate "
        "from {m}.fct_unified_metrics "
        "where store_id = %(store)s and period = 'daily' and source = 'all' "
        "and period_start between %(previous_start)s and %(end)s "
        "group by 1, 2"
    ).format(m=wh.m), {"store": store_id, "previous_start": previous_start, "start": start, "end": end})


def daily_series(wh: Warehouse, store_id: str, start: dt.date, end: dt.date,
                 channels: Sequence[str]) -> list[dict[str, Any]]:
    """Per channel, dense arrays (one value per day of [start, end], 0 on days without a
    row) of daily revenue and cost (rounded to cents) and conversions (4 places)."""
    return wh.fetch(sql.SQL(
        "with days as (select d::date as date from generate_series(%(start)s::date, %(end)s::date, "
        "  interval '1 day') as d), "
        "channels as (select unnest(%(channels)s::text[]) as channel), "
        "daily as (select period_start, channel, revenue, cost, conversions from {m}.fct_unified_metrics "
        "  where store_id = %(store)s and period = 'daily' and source = 'all' "
        "  and period_start between %(start)s and %(end)s) "
        "select channels.channel, "
        "array_agg(round(coalesce(daily.revenue, 0), 2)::float8 order by days.date) as revenue, "
        "array_agg(round(coalesce(daily.cost, 0), 2)::float8 order by days.date) as cost, "
        "array_agg(round(coalesce(daily.conversions, 0), 4)::float8 order by days.date) as conversions "
        "from channels cross join days "
        "left join daily on daily.channel = channels.channel and daily.period_start = days.date "
        "group by channels.channel"
    ).format(m=wh.m), {"store": store_id, "start": start, "end": end, "channels": list(channels)})
