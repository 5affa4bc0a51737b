"""The health views: ``/healthz``, ``/livez`` and ``/readyz`` (also registered at the root by the app factory)."""
from __future__ import annotations

from flask import Response

from insight_service.api.health import bp
from insight_service.api.health.schemas import HealthData, LiveData, ReadyData
from insight_service.api.health.service import health, readiness
from insight_service.api.web.context import ok, optional_key, state
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/healthz")
@api_route(RouteSpec(summary="200 when the warehouse answers, 503 when not (within a second)",
                     response=HealthData, auth=False, tags=("ops",), errors=(429, 503),
                     description="Anonymous callers get the status only. With an API key: the marts build, the "
                                 "source freshness (marts.mart_source_freshness) and the status and finish time of "
                                 "the last finished pipeline run (`insights refresh`)."))
def healthz() -> Response:
    wh = state().warehouse
    with wh.bounded(state().settings.health_timeout_s):
        detailed = optional_key() is not None
        return ok(health(wh, detailed))


@bp.get("/livez")
@api_route(RouteSpec(summary="200 when the process answers (never touches the database)", response=LiveData,
                     auth=False, tags=("ops",), errors=(429,)))
def livez() -> Response:
    return ok({"status": "ok"})


@bp.get("/readyz")
@api_route(RouteSpec(summary="200 when the warehouse and the core marts are reachable, 503 when not (within a "
                             "second)", response=ReadyData, auth=False, tags=("ops",), errors=(429, 503),
                     description="503 while the warehouse circuit is open, the database does not answer, or a core "
                                 "mart is missing. With an API key: the build and the missing marts."))
def readyz() -> Response:
    wh = state().warehouse
    with wh.bounded(state().settings.health_timeout_s):
        detailed = optional_key() is not None
        return ok(readiness(wh, detailed))
