"""The dashboard view."""
from __future__ import annotations

from flask import Response

from insight_service.api.dashboard import bp
from insight_service.api.dashboard.schemas import DashboardData, DashboardQuery
from insight_service.api.dashboard.service import dashboard_data
from insight_service.api.web.context import ok_raw, query, window_of
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/dashboard")
@api_route(RouteSpec(
    summary="Channel KPIs, change vs the previous period, daily series",
    query=DashboardQuery, response=DashboardData,
    description="Per channel and `overall` (from fct_unified_metrics, daily channel rollups): revenue, "
                "cost, profit (revenue − COGS), marketing_profit (profit − cost), conversions, sessions, roas, "
                "poas (profit / cost), cpa, conversion_rate, every ratio from the window's sums; the same "
                "window just before for `vs_previous_period` (revenue, cost, profit, roas, marketing_profit, "
                "poas); daily revenue/cost/conversions for charts."))
def dashboard() -> Response:
    q = query(DashboardQuery)
    return ok_raw(dashboard_data(window_of(q), raw=True))
