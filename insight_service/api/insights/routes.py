"""The insight views: read the store's insights, generate them from its signals, move one through
its lifecycle (insight_service/insights/service.py does the work)."""
from __future__ import annotations

import json

from flask import Response, current_app, request, url_for
from werkzeug.datastructures import MultiDict

from insight_service.api.insights import bp
from insight_service.api.insights.schemas import (
    INSIGHT_PARAM,
    JOB_PARAM,
    Insight,
    InsightsData,
    InsightsGenerateQuery,
    InsightsQuery,
    Job,
    JobAccepted,
    validate_insight_id,
)
from insight_service.api.web.bulkhead import heavy
from insight_service.api.web.context import ok, query, state, store_id
from insight_service.api.web.openapi import RouteSpec, api_route
from insight_service.api.web.params import validate_query
from insight_service.core.errors import InvalidInput, NotFound
from insight_service.insights import service as insights_service
from insight_service.insights.config import LifecycleConfig, LLMConfig


def llm_config() -> LLMConfig:
    config = current_app.extensions.get("insights_llm")
    if config is None:
        config = current_app.extensions["insights_llm"] = LLMConfig.from_env()
    return config


def lifecycle_config() -> LifecycleConfig:
    config = current_app.extensions.get("insights_lifecycle")
    if config is None:
        config = current_app.extensions["insights_lifecycle"] = LifecycleConfig.from_env()
    return config


def _generate_query() -> InsightsGenerateQuery:
    """`limit` from the query string or from an optional JSON body `{"limit": n}` (not both)."""
    args = request.args
    if request.get_data(cache=True):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise InvalidInput(
                "body", 'must be a JSON object (Content-Type: application/json), e.g. {"limit": 5}')
        if "limit" in body:
            if "limit" in args:
                raise InvalidInput("limit", "given both in the query string and in the body")
            value = body["limit"]
            args = MultiDict(args)  # the other parameters (wait) stay
            args["limit"] = value if isinstance(value, str) else json.dumps(value)
    return validate_query(InsightsGenerateQuery, args)


@bp.get("/insights")
@api_route(RouteSpec(
    summary="The store's insights (read only: never creates any)", query=InsightsQuery, response=InsightsData,
    tags=("insights",), errors=(400, 401, 429, 503),
    description="From app.marketing_insights, newest first. `status`: active (default), dismissed, actioned "
                "or all."))
def insights_list() -> Response:
    q = query(InsightsQuery)
    return ok({"insights": insights_service.list_insights(state().warehouse, store_id(), q.status)})


@bp.post("/insights/generate")
@api_route(RouteSpec(
    summary="Turn the store's top signals into insights (LLM, or deterministic templates), as a background job",
    query=InsightsGenerateQuery, response=JobAccepted, tags=("insights",), errors=(400, 401, 429, 503),
    success_status=202,
    description="Answers 202 `{job_id, status}` (header Location: the job) and generates on a bounded background "
                "executor; poll GET /jobs/{job_id} for the result. `wait=true` generates within the request and "
                "answers 201 with the result itself (the former behaviour). 429 with Retry-After when the store "
                "already runs INSIGHTS_HEAVY_PER_STORE heavy requests or the job queue is full. "
                "Reads the `limit` most severe signals of marts.fct_insight_signals. With OPENAI_API_KEY set, "
                "one structured-output call writes the texts; an answer whose numbers are not the signal's "
                "figures, that echoes injected content, or a failed call (timeout, HTTP error, malformed "
                "JSON) falls back to the signal type's template. `path` says who wrote them (llm, template, "
                "mixed; none without signals), `reason` why templates were used. An insight still active "
                "for the same signal is refreshed in place, never duplicated. A signal whose insight was "
                "dismissed or actioned is not recreated for the same window; it comes back only for a later "
                "window once its type's cooldown (INSIGHTS_COOLDOWN_DAYS) has passed. Held signals are "
                "counted in `suppressed` (listed in `suppressed_signals`) and the next signals take their "
                "place in `limit`."))
def insights_generate() -> Response:
    q = _generate_query()
    st, store, llm, lifecycle = state(), store_id(), llm_config(), lifecycle_config()
    if q.wait:
        return _generate_now(q.limit)
    job = st.jobs.submit(store, "insights_generate",
                         lambda: insights_service.generate(st.warehouse, store, llm, q.limit, lifecycle))
    response = ok(job, status=202)
    response.headers["Location"] = url_for("analytics.insights.job", job_id=job["job_id"])
    return response


@heavy
def _generate_now(limit: int) -> Response:
    data = insights_service.generate(state().warehouse, store_id(), llm_config(), limit, lifecycle_config())
    return ok(data, status=201)


@bp.get("/jobs/<job_id>")
@api_route(RouteSpec(
    summary="A background job of the store: queued, running, done (with its result) or failed",
    response=Job, path_params=JOB_PARAM, tags=("insights",), errors=(401, 404, 429, 503),
    description="Jobs live in app.jobs, so any worker answers. Another store's job id is a 404, like an unknown "
                "one. Finished jobs are kept a day."))
def job(job_id: str) -> Response:
    found = state().jobs.get(store_id(), job_id)
    if found is None:
        raise NotFound("no such job for this store", code="unknown_job")
    return ok(found)


def _change_status(insight_id: str, to: str) -> Response:
    validate_insight_id(insight_id)
    return ok(insights_service.change_status(state().warehouse, store_id(), insight_id, to))


@bp.post("/insights/<insight_id>/dismiss")
@api_route(RouteSpec(
    summary="Dismiss an active insight (sets dismissed_at)", response=Insight, path_params=INSIGHT_PARAM,
    tags=("insights",), errors=(400, 401, 404, 409, 429, 503),
    description="Repeating it is idempotent (200, unchanged); an actioned insight -> 409 invalid_transition; "
                "an unknown id or another store's -> 404."))
def insights_dismiss(insight_id: str) -> Response:
    return _change_status(insight_id, "dismissed")


@bp.post("/insights/<insight_id>/action")
@api_route(RouteSpec(
    summary="Mark an active insight actioned (sets actioned_at)", response=Insight, path_params=INSIGHT_PARAM,
    tags=("insights",), errors=(400, 401, 404, 409, 429, 503),
    description="Repeating it is idempotent (200, unchanged); a dismissed insight -> 409 invalid_transition; "
                "an unknown id or another store's -> 404."))
def insights_action(insight_id: str) -> Response:
    return _change_status(insight_id, "actioned")
