"""The funnel view."""
from __future__ import annotations

from flask import Response

from insight_service.api.funnel import bp
from insight_service.api.funnel.schemas import FunnelData, FunnelQuery
from insight_service.api.funnel.service import funnel_data
from insight_service.api.web.context import ok_raw, query, window_of
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/funnel")
@api_route(RouteSpec(
    summary="Impressions -> clicks -> sessions -> conversions per channel and overall, with step rates",
    query=FunnelQuery, response=FunnelData,
    description="Sums of fct_unified_metrics' daily channel rollups (source `all`) over the window, per channel "
                "and `overall` (the store rollup). Rates in percent from the window's sums: click_rate = clicks / "
                "impressions, session_rate = sessions / clicks, conversion_rate = conversions / sessions; null "
                "when the denominator is 0."))
def funnel() -> Response:
    q = query(FunnelQuery)
    return ok_raw(funnel_data(window_of(q), raw=True))
