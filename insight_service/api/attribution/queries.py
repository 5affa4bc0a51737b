"""SQL of attribution and ROI: credited sums per model and channel, Markov transition counts, and
a channel's cost (fct_channel_attribution_daily, fct_markov_transitions, fct_unified_metrics)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def attribution(wh: Warehouse, store_id: str, start: dt.date, end: dt.date,
                models: Sequence[str]) -> list[dict[str, Any]]:
    return wh.fetch(sql.SQL(
        "select model, channel, sum(attributed_conversions) as conversions, "
        "sum(attributed_revenue) as revenue, sum(attributed_profit) as profit "
        "from {m}.fct_channel_attribution_daily "
        "where store_id = %(store)s and date between %(start)s and %(end)s and model = any(%(models)s) "
        "group by model, channel"
    ).format(m=wh.m), {"store": store_id, "start": start, "end": end, "models": list(models)})


def markov_transitions(wh: Warehouse, store_id: str, first_month: dt.date,
                       last_month: dt.date) -> list[dict[str, Any]]:
    """The store's first-order Markov input summed over the months (marts.fct_markov_transitions:
    transition counts are additive across months, so a range costs a few dozen rows)."""
    return wh.fetch(sql.SQL(
        "select kind, from_state, to_state, sum(weight)::float8 as weight, "
        "sum(conversions)::float8 as conversions, sum(conversion_value)::float8 as conversion_value "
        "from {m}.fct_markov_transitions "
        "where store_id = %(store)s and month_start between %(first)s and %(last)s "
        "group by kind, from_state, to_state"
    ).format(m=wh.m), {"store": store_id, "first": first_month, "last": last_month})


def cost_and_ratios(wh: Warehouse, store_id: str, channel: str, start: dt.date, end: dt.date,
                    revenue: Decimal, profit: Decimal) -> dict[str, Any]:
    """The channel's cost over [start, end] (fct_unified_metrics) and the ratios of its attributed
    revenue and profit to that cost by the marts' own rule (safe_ratio: null when the cost is 0)."""
    row = wh.one(sql.SQL(
        "with spend as (select coalesce(sum(cost), 0) as cost from {m}.fct_unified_metrics "
        "  where store_id = %(store)s and period = 'daily' and source = 'all' and channel = %(channel)s "
        "  and period_start between %(start)s and %(end)s) "
        "select cost, {m}.safe_ratio((%(revenue)s::numeric - cost) * 100, cost) as roi, "
        "{m}.safe_ratio(%(revenue)s::numeric, cost) as roas, "
        "{m}.safe_ratio(%(profit)s::numeric, cost) as poas "
        "from spend"
    ).format(m=wh.m), {"store": store_id, "channel": channel, "start": start, "end": end,
                       "revenue": revenue, "profit": profit})
    return row or {"cost": None, "roi": None, "roas": None, "poas": None}
