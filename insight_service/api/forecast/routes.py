"""The forecast view."""
from __future__ import annotations

from flask import Response

from insight_service.api.forecast import bp
from insight_service.api.forecast.schemas import ForecastData, ForecastQuery
from insight_service.api.forecast.service import forecast
from insight_service.api.web.context import ok, query, state, store_id
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/forecast")
@api_route(RouteSpec(
    summary="Daily forecast of a metric per channel with 80 % and 95 % intervals, and the history it continues",
    query=ForecastQuery, response=ForecastData, errors=(400, 401, 409, 429, 503),
    description="Read from app.forecasts, fitted by `insights refresh` for the stores whose data changed "
                "(never at request time): one row per store-local day after the store's last data day, "
                "`horizon` days (1..90, default 30); `history` is the last 8 weeks of actuals "
                "(fct_unified_metrics daily channel rollups, the default attribution model). 409 "
                "`forecast_not_ready` when no refresh has fitted the store yet, 409 `insufficient_history` "
                "when the store has fewer than 56 days of data."))
def get_forecast() -> Response:
    q = query(ForecastQuery)
    return ok(forecast(state().warehouse, store_id(), q))
