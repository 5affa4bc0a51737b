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



def utilization_query(marts: sql.Identifier) -> sql.Composed:
    """The store's rows of fct_budget_utilization for one month."""
    return sql.SQL(
        "select channel, monthly_budget, spent, utilization_pct, projected_spend, pacing, days_elapsed, "
        "days_in_month from {m}.fct_budget_utilization "
        "where store_id = %(store)s and month_start = %(month)s order by channel"
    ).format(m=marts)
