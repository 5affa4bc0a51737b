"""SQL of attribution and ROI: credited sums per model and channel, Markov transition counts, and
a channel's cost (fct_channel_attribution_daily, fct_markov_transitions, fct_unified_metrics)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


def channel_totals(wh: Warehouse, store_id: str, start: dt.date, end: dt.date,
                   channels: Sequence[str]) -> list[dict[str, Any]]:
    """Range sums of one or more channels (ROI reads the cost)."""
    return wh.fetch(sql.SQL(
        "select channel, sum(revenue) as revenue, sum(cost) as cost, sum(profit) as profit, "
        "sum(conversions) as conversions, sum(sessions) as sessions, sum(clicks) as clicks, "
        "sum(impressions) as impressions, sum(engagements) as engagements, "
        "sum(bounce_rate * sessions) filter (where bounce_rate is not null) as bounce_weighted, "
        "sum(sessions) filter (where bounce_rate is not null) as bounce_sessions, "
        "sum(avg_session_duration_s * sessions) filter (where avg_session_duration_s is not null) "
        "  as duration_weighted, "
        "sum(sessions) filter (where avg_session_duration_s is not null) as duration_sessions "
        "from {m}.fct_unified_metrics "
        "where store_id = %(store)s and period = 'daily' and source = 'all' "
        "and channel = any(%(channels)s) and period_start between %(start)s and %(end)s "
        "group by channel"
    ).format(m=wh.m), {"store": store_id, "start": start, "end": end, "channels": list(channels)})
