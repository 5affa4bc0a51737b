"""SQL of the funnel: the window's sums per channel rollup and the store rollup (fct_unified_metrics)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def funnel_totals(wh: Warehouse, store_id: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per channel (and 'overall'): the steps' sums and the step rates by the marts' rule (safe_ratio:
    null on a zero or null denominator), in percent."""
    return wh.fetch(sql.SQL(
        "select channel, sum(impressions) as impressions, sum(clicks) as clicks, sum(sessions) as sessions, "
        "sum(conversions) as conversions, "
        "{m}.safe_ratio(sum(clicks) * 100, sum(impressions)) as click_rate, "
        "{m}.safe_ratio(sum(sessions) * 100, sum(clicks)) as session_rate, "
        "{m}.safe_ratio(sum(conversions) * 100, sum(sessions)) as conversion_rate "
        "from {m}.fct_unified_metrics "
        "where store_id = %(store)s and period = 'daily' and source = 'all' "
        "and period_start between %(start)s and %(end)s "
        "group by channel"
    ).format(m=wh.m), {"store": store_id, "start": start, "end": end})
