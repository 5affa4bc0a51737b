"""SQL of the budget optimizer: each channel's daily cost and revenue, and the curves the refresh
stored. Both live with the refresh's fit (pipeline/budget_curves.py), which reads and writes the
same rows; they are re-exported here for the feature."""
from __future__ import annotations

from psycopg import sql

from insight_service.pipeline.budget_curves import NOT_CHANNELS, history_query, stored_curves_query


def utilization_query(marts: sql.Identifier) -> sql.Composed:
    """The store's rows of fct_budget_utilization for one month."""
    return sql.SQL(
        "select channel, monthly_budget, spent, utilization_pct, projected_spend, pacing, days_elapsed, "
        "days_in_month from {m}.fct_budget_utilization "
        "where store_id = %(store)s and month_start = %(month)s order by channel"
    ).format(m=marts)


__all__ = ["NOT_CHANNELS", "history_query", "stored_curves_query", "utilization_query"]
