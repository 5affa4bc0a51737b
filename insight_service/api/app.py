"""Flask app factory of the insight API: state, error handler, auth hook, rate limiter, request
telemetry (metrics, one JSON log line per request, optional Sentry), the feature blueprints, the
OpenAPI document, the root ``/healthz`` and the Prometheus scrape ``/metrics``.

``create_app(config)`` builds everything that holds a connection (the psycopg pool, the
Redis clients) inside the process that serves: gunicorn imports ``wsgi:app`` in each
worker after forking (do not use ``--preload``).
"""
from __future__ import annotations

import dataclasses
import re
import secrets
import uuid
from typing import Any

from flask import Blueprint, Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from insight_service.api import (
    attribution,
    benchmarks,
    budget,
    calendar,
    dashboard,
    data_quality,
    exports,
    forecast,
    funnel,
    health,
    insights,
    metrics,
    page,
    session,
    store,
)
from insight_service.api.health.routes import healthz, livez, readyz
from insight_service.api.web import errors
from insight_service.api.web.auth import ApiKey
from insight_service.api.web.bulkhead import StoreSlots
from insight_service.api.web.cache import BuildTracker, ResponseCache, make_cache, with_etag
from insight_service.api.web.errors import HttpError, Unauthorized
from insight_service.api.web.fastpath import FastAnswers
from insight_service.api.web.jobs import JobRunner
from insight_service.api.web.json import JSONProvider
from insight_service.api.web.keycache import VerifiedKeys
from insight_service.api.web.limits import AnonymousLimit, RecentKeys
from insight_service.api.web.openapi import RouteSpec, api_route, build_document, spec_of
from insight_service.api.web.session import COOKIE_NAME, SessionSigner, authenticate_request, claimed_key_id
from insight_service.api.web.telemetry import finish_request, start_request
from insight_service.core.settings import Settings
from insight_service.core.warehouse import Warehouse
from insight_service.insights.config import LifecycleConfig, LLMConfig
from insight_service.telemetry import logs, sentry

OPENAPI_PATH = "/api/openapi.json"
BASE_PATH = "/api/marketing/analytics"
# every feature's views, served under BASE_PATH
FEATURES = (dashboard, attribution, benchmarks, calendar, exports, budget, insights, data_quality, health,
            session, store, funnel, forecast)
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
EXPOSED_HEADERS = ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                   "X-Request-ID", "Content-Disposition", "ETag", "Location")


@dataclasses.dataclass
class ServiceState:
    settings: Settings
    warehouse: Warehouse
    tracker: BuildTracker
    cache: ResponseCache
    sessions: SessionSigner
    slots: StoreSlots
    jobs: JobRunner
    verified: VerifiedKeys
    fast: FastAnswers
    anonymous: AnonymousLimit | None = None
    limiter: Any = None
    openapi: dict[str, Any] | None = None

    def close(self) -> None:
        self.jobs.close()
        self.warehouse.close()


def _rate_limit_key() -> str:
    key: ApiKey | None = g.get("api_key")
    return f"key:{key.key_id}" if key else f"ip:{request.remote_addr}"


def _make_limiter(app: Flask, settings: Settings):
    if not settings.rate_limit:
        return None
    from flask_limiter import Limiter

    storage_options: dict[str, Any] = {}
    if settings.rate_limit_storage.startswith(("redis://", "rediss://")):
        storage_options = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    limiter = Limiter(
        _rate_limit_key,
        application_limits=[settings.rate_limit],
        application_limits_exempt_when=lambda: g.get("api_key") is None,
        storage_uri=settings.rate_limit_storage,
        storage_options=storage_options,
        strategy="fixed-window",
        headers_enabled=True,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        key_prefix=settings.rate_limit_key_prefix,
    )
    limiter.init_app(app)
    return limiter


# The app's own limits on a request's head, answered with the envelope. The HTTP front's are higher (granian:
# a 408 KiB read buffer and 100 header fields; beyond them it answers 431/400 itself, without a body).
MAX_URI_BYTES = 8190
MAX_HEADER_FIELD_BYTES = 8190
MAX_HEADER_BYTES = 32 * 1024


def check_request_head() -> None:
    """414 for a request target over MAX_URI_BYTES, 431 for a header field over MAX_HEADER_FIELD_BYTES or
    headers over MAX_HEADER_BYTES in all: the limits gunicorn enforced in front of the app, as envelopes."""
    environ = request.environ
    target = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1
    if target > MAX_URI_BYTES:
        raise HttpError(414, "uri_too_long", f"the request target is over {MAX_URI_BYTES} bytes",
                        details={"limit": MAX_URI_BYTES})
    total = 0
    for name, value in environ.items():
        if not name.startswith("HTTP_") and name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            continue
        field = len(name) + len(str(value)) + 4
        total += field
        if field > MAX_HEADER_FIELD_BYTES or total > MAX_HEADER_BYTES:
            raise HttpError(431, "request_header_fields_too_large",
                            f"a header field is over {MAX_HEADER_FIELD_BYTES} bytes or the headers over "
                            f"{MAX_HEADER_BYTES} in all", details={"field_limit": MAX_HEADER_FIELD_BYTES,
                                                                  "total_limit": MAX_HEADER_BYTES})


def read_body() -> None:
    """Read a request's body up front (at most MAX_CONTENT_LENGTH): a body that cannot be read (a malformed
    chunked encoding, a client that stops sending) is a 400 here, not a 500 in the view that reads it."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    try:
        data = request.get_data(cache=True)
    except HTTPException:  # 413 and the like keep their status
        raise
    except Exception as exc:
        raise HttpError(400, "bad_request", "the request body could not be read (malformed chunked encoding, or "
                        "the client stopped sending)", details={"reason": type(exc).__name__}) from exc
    # granian hands a malformed chunked body to the app as an empty one: an empty chunked body is refused too
    # (a client with nothing to send says Content-Length: 0)
    if not data and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        raise HttpError(400, "bad_request", "the request body could not be read (malformed or empty chunked "
                        "encoding)", details={"reason": "empty_chunked_body"})


def _analytics_blueprint() -> Blueprint:
    """The API area: every feature's blueprint nested under BASE_PATH (the endpoints are
    ``analytics.<feature>.<view>``; openapi.py names operations ``analytics_<view>``)."""
    analytics = Blueprint("analytics", __name__, url_prefix=BASE_PATH)
    for feature in FEATURES:
        analytics.register_blueprint(feature.bp)
    return analytics


def create_app(config: dict[str, Any] | None = None) -> Flask:
    settings = Settings.from_env(config)
    logs.configure(settings.log_level)
    sentry.init_from_env()  # SENTRY_DSN unset: the SDK is not even imported
    lifecycle = LifecycleConfig.from_env()  # INSIGHTS_COOLDOWN_DAYS: a bad value stops the start, before any pool

    app = Flask("insight_service.api", static_folder=None)
    app.json = JSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.url_map.strict_slashes = False

    warehouse = Warehouse(settings)
    tracker = BuildTracker(warehouse, settings.build_check_s)
    cache = ResponseCache(make_cache(settings.cache_backend), tracker, settings.cache_ttl_s,
                          settings.cache_key_prefix)
    # without INSIGHTS_SECRET_KEY a secret of this app alone (tests; `insights serve` sets one for its workers)
    sessions = SessionSigner(settings.secret_key or secrets.token_urlsafe(32), settings.session_ttl_s)
    slots = StoreSlots(settings.heavy_per_store)
    jobs = JobRunner(warehouse, slots, settings.job_workers, settings.job_queue)
    anonymous = (AnonymousLimit(settings.anon_rate_limit, settings.rate_limit_storage,
                                f"{settings.rate_limit_key_prefix}-anon") if settings.anon_rate_limit else None)
    verified = VerifiedKeys(settings.key_cache_s)  # INSIGHTS_KEY_CACHE_S: keys are not looked up on every request
    fast = FastAnswers(cache, settings.fast_path)
    state = ServiceState(settings, warehouse, tracker, cache, sessions, slots, jobs, verified, fast, anonymous)
    app.extensions["insights"] = state
    app.extensions["insights_llm"] = LLMConfig.from_env()  # OPENAI_* / INSIGHTS_LLM_* (insights/config.py)
    app.extensions["insights_lifecycle"] = lifecycle

    errors.register(app)

    # authentication runs before the rate limiter (registered by init_app below), so that
    # the limit is counted per API key
    recent_keys = RecentKeys()

    @app.before_request
    def _authenticate() -> Response | None:
        start_request()
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID_RE.fullmatch(given) else uuid.uuid4().hex
        check_request_head()
        read_body()
        spec = spec_of(app, request.endpoint)
        address = request.remote_addr or "unknown"
        if spec is None:
            if anonymous:
                anonymous.hit(address)
            return None  # unknown path / method: the routing error becomes an envelope
        if request.method == "OPTIONS":  # CORS preflight: never needs a key
            response = jsonify({"success": True, "data": None})
            adapter = app.create_url_adapter(request)
            methods = adapter.allowed_methods() if adapter else []
            response.headers["Allow"] = ", ".join(sorted(set(methods) | {"OPTIONS"}))
            return response
        if not spec.auth:
            # the page's own files are static bytes (no database): not counted, so that reloading the page
            # behind a shared address never locks its users out of the API
            if anonymous and "page" not in spec.tags:
                anonymous.hit(address)
            return None
        # the Bearer header, else the page's session cookie (api/web/session.py)
        credentials = bool(request.headers.get("Authorization") or request.cookies.get(COOKIE_NAME))
        if anonymous:
            if not credentials:
                anonymous.hit(address)
            elif not anonymous.allows(address) and not recent_keys.seen(claimed_key_id(request, sessions)):
                # an address over its limit costs no key lookup, unless the key was valid here a moment ago
                # (a user behind the same address as a flood keeps working; the lookup below still runs)
                raise anonymous.refusal(address)
        try:
            g.api_key, g.session = authenticate_request(request, warehouse.api_key, sessions, warehouse.session_key,
                                                        verified)
        except Unauthorized:
            if anonymous and credentials:
                anonymous.hit(address)
            raise
        recent_keys.add(g.api_key.key_id)
        return None

    state.limiter = _make_limiter(app, settings)

    # registered after the limiter's hook: a cached GET is answered here once authenticated and within its limits
    @app.before_request
    def _fast_answer() -> Response | None:
        return fast.answer()

    app.register_blueprint(_analytics_blueprint())
    app.register_blueprint(metrics.bp)  # /metrics, at the root like /healthz
    app.register_blueprint(page.bp)  # the dashboard page: /, /signin, /dashboard/..., /assets/...

    @app.get(OPENAPI_PATH)
    @api_route(RouteSpec(summary="This OpenAPI document", auth=False, tags=("ops",), errors=()))
    def openapi() -> Response:
        if state.openapi is None:
            state.openapi = build_document(app)
        return jsonify(state.openapi)

    # conventional health paths for load balancers and orchestrators (same views as <base>/...)
    app.add_url_rule("/healthz", endpoint="healthz", view_func=healthz, methods=["GET"])
    app.add_url_rule("/livez", endpoint="livez", view_func=livez, methods=["GET"])
    app.add_url_rule("/readyz", endpoint="readyz", view_func=readyz, methods=["GET"])

    @app.after_request
    def _headers(response: Response) -> Response:
        fast.remember(response)  # before the ETag may turn it into a 304
        response = with_etag(response, request)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        origin = request.headers.get("Origin")
        allowed = settings.cors_origins
        if origin and allowed and ("*" in allowed or origin.rstrip("/") in allowed):
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
            response.vary.add("Origin")
            response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Request-ID"
                response.headers["Access-Control-Max-Age"] = "600"
        finish_request(response)
        return response

    return app
