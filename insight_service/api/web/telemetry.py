"""Per-request telemetry: the request's metrics (insights_http_*, insights_rate_limited_total) and
its one JSON log line (request id, method, route, status, duration, store and key id; never the key
or the query string). The route is the Flask url rule, never the raw path."""
from __future__ import annotations

import logging
import time

from flask import Response, g, request

from insight_service.telemetry.metrics import HTTP_DURATION, HTTP_REQUESTS, RATE_LIMITED, UNMATCHED_ROUTE

log = logging.getLogger("insight_service.api.request")

# endpoints left out of the request metrics and log (the scrape itself)
UNOBSERVED_ENDPOINTS = frozenset({"metrics.metrics"})
# the method label's values: any other token a client sends counts as `other` (bounded label values)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def start_request() -> None:
    g.request_started = time.perf_counter()


def finish_request(response: Response) -> None:
    """Count, time and log the answered request."""
    if request.endpoint in UNOBSERVED_ENDPOINTS:
        return
    started = g.get("request_started")
    duration = time.perf_counter() - started if started is not None else 0.0
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
    status = response.status_code
    method = request.method if request.method in KNOWN_METHODS else "other"
    HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    HTTP_DURATION.labels(route=route, method=method).observe(duration)
    if status == 429:
        RATE_LIMITED.labels(route=route).inc()
    key = g.get("api_key")
    log.info("%s %s %s", method, route, status, extra={
        "request_id": g.get("request_id"),
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(duration * 1000, 2),
        "store_id": key.store_id if key else None,
        "key_id": key.key_id if key else None,
    })
