"""The attribution and ROI views."""
from __future__ import annotations

from flask import Response

from insight_service.api.attribution import bp
from insight_service.api.attribution.schemas import (
    AllModelsAttribution,
    AttributionData,
    AttributionQuery,
    RoiData,
    RoiQuery,
)
from insight_service.api.attribution.service import attribution_data, roi_data
from insight_service.api.web.context import ok_raw, query, window_of
from insight_service.api.web.openapi import RouteSpec, api_route
from insight_service.api.web.params import CHANNEL_PARAM, check_channel


@bp.get("/attribution")
@api_route(RouteSpec(
    summary="Revenue and conversions credited to each channel by an attribution model",
    query=AttributionQuery, response=AttributionData | AllModelsAttribution,
    description="Rule-based models from fct_channel_attribution_daily; `data_driven` is the Markov "
                "removal-effect model on the paths (fct_markov_transitions) of the months overlapping the range, "
                "scaled to the range's total conversions and revenue. `model=all` returns every model."))
def attribution() -> Response:
    q = query(AttributionQuery)
    return ok_raw(attribution_data(window_of(q), q.model, raw=True))


@bp.get("/roi/<channel>")
@api_route(RouteSpec(
    summary="Revenue, cost, profit, profit after marketing cost, ROI, ROAS and POAS of one channel",
    query=RoiQuery, response=RoiData, path_params=CHANNEL_PARAM,
    description="Revenue, profit and conversions attributed to the channel under `model`; cost "
                "from fct_unified_metrics. roi = (revenue − cost) / cost × 100; marketing_profit = "
                "profit − cost; poas = profit / cost (null when cost is 0)."))
def roi(channel: str) -> Response:
    check_channel(channel)
    q = query(RoiQuery)
    return ok_raw(roi_data(channel, window_of(q), q.model))
