"""The scrape view: 404 (envelope) without INSIGHTS_METRICS_TOKEN, 401 without the right bearer token."""
from __future__ import annotations

from flask import Response, request
from prometheus_client import CONTENT_TYPE_LATEST

from insight_service.api.metrics import bp
from insight_service.api.metrics.service import exposition, token_matches
from insight_service.api.web.auth import bearer_token
from insight_service.api.web.context import state
from insight_service.api.web.errors import HttpError, Unauthorized
from insight_service.api.web.openapi import RouteSpec, api_route

DESCRIPTION = (
    "Prometheus text format. Not an API-key endpoint: the scrape sends `Authorization: Bearer "
    "<INSIGHTS_METRICS_TOKEN>`; while that setting is unset the path answers 404. Never rate-limited and "
    "not counted in insights_http_*.")


@bp.get("/metrics")
@api_route(RouteSpec(summary="Prometheus metrics (scrape token)", auth=False, security_scheme="metricsToken",
                     text=True, tags=("ops",), description=DESCRIPTION, errors=(401, 404)))
def metrics() -> Response:
    expected = state().settings.metrics_token
    if not expected:
        raise HttpError(404, "not_found", "no such endpoint")
    try:
        given = bearer_token(request.headers.get("Authorization"))
    except Unauthorized:
        raise Unauthorized("missing Authorization: Bearer <metrics token> header") from None
    if not token_matches(given, expected):
        raise Unauthorized("invalid metrics token")
    return Response(exposition(state().warehouse), content_type=CONTENT_TYPE_LATEST)
