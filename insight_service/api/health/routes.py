"""The health view (also registered at ``/healthz`` by the app factory)."""
from __future__ import annotations

from flask import Response

from insight_service.api.health import bp
from insight_service.api.health.schemas import HealthData
from insight_service.api.health.service import health
from insight_service.api.web.context import ok, state
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/healthz")
@api_route(RouteSpec(summary="200 when the warehouse answers (with the marts build), 503 when not",
                     response=HealthData, auth=False, tags=("ops",), errors=(503,),
                     description="Also the source freshness (marts.mart_source_freshness) and the status and "
                                 "finish time of the last finished pipeline run (`insights refresh`)."))
def healthz() -> Response:
    return ok(health(state().warehouse))
