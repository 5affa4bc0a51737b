"""SQL of the budget optimizer: each channel's daily cost and revenue."""
from __future__ import annotations

from psycopg import sql

NOT_CHANNELS = ("overall", "unattributed")


def history_query(marts: sql.Identifier) -> sql.Composed:
    return sql.SQL(
        "select period_start as date, channel, sum(cost) as cost, sum(revenue) as revenue "
        "from {m}.fct_unified_metrics "
        "where store_id = %(store)s and period = 'daily' and source = 'all' "
        "and channel <> all(%(not_channels)s) and period_start between %(start)s and %(end)s "
        "group by period_start, channel order by channel, period_start"
    ).format(m=marts)

