"""The analytics blueprint: ``/api/marketing/analytics/...`` (see shared/contracts/api.md)."""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from psycopg import sql
from werkzeug.datastructures import MultiDict

from insight_service.api import reports
from insight_service.api.db import WarehouseUnavailable
from insight_service.api.errors import InvalidParameter, NotFound, ServiceUnavailable
from insight_service.api.openapi import RouteSpec, api_route
from insight_service.api.periods import Window, local_today, resolve_window, upcoming_window
from insight_service.api.serialize import to_csv
from insight_service.api.validation import (
    BUDGET_SYNTAX,
    CHANNELS,
    MODELS,
    REPORTS,
    AllModelsAttribution,
    AttributionData,
    AttributionQuery,
    BenchmarksData,
    BenchmarksQuery,
    BudgetData,
    BudgetQuery,
    CalendarData,
    CalendarQuery,
    DashboardData,
    DashboardQuery,
    ExportQuery,
    HealthData,
    Insight,
    InsightsData,
    InsightsGenerated,
    InsightsGenerateQuery,
    InsightsQuery,
    QueryModel,
    RangeQuery,
    RoiData,
    RoiQuery,
    validate_insight_id,
    validate_query,
)
from insight_service.insights import service as insights_service
from insight_service.insights.config import LifecycleConfig, LLMConfig

BASE_PATH = "/api/marketing/analytics"

log = logging.getLogger("insight_service.api.routes")

bp = Blueprint("analytics", __name__, url_prefix=BASE_PATH)

CHANNEL_PARAM = {"channel": {"type": "string", "enum": list(CHANNELS), "description": "marketing channel"}}
REPORT_PARAM = {"report": {"type": "string", "enum": list(REPORTS), "description": "report to export"}}
INSIGHT_PARAM = {"insight_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}


def state():
    return current_app.extensions["insights"]


def ok(data: Any, status: int = 200) -> Response:
    response = jsonify({"success": True, "data": data})
    response.status_code = status
    return response


def ok_raw(data_json: str) -> Response:
    """The success envelope around data that is already JSON text (a cached response)."""
    return Response('{"success":true,"data":' + data_json + "}", mimetype="application/json")


def query(model: type[QueryModel]) -> Any:
    return validate_query(model, request.args)


def check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise NotFound(f"unknown channel {channel!r}: channel must be one of {', '.join(CHANNELS)}",
                       code="unknown_channel", details={"param": "channel", "allowed": list(CHANNELS)})
    return channel


def store_id() -> str:
    return g.api_key.store_id


def default_model() -> str:
    build = state().tracker.current()
    model = build.attribution_default_model if build else None
    return model if model in MODELS else reports.DEFAULT_MODEL


def last_data_date() -> dt.date | None:
    st = state()
    value = st.cache.get_or_compute(
        store_id(), "last_data_date", {},
        lambda: (lambda d: d.isoformat() if d else None)(st.warehouse.last_data_date(store_id())))
    return dt.date.fromisoformat(value) if value else None


def window_of(q: RangeQuery) -> Window:
    return resolve_window(q.start_date, q.end_date, q.days, last_data_date)


def store_today() -> dt.date:
    """The store's local date now (marts.dim_stores.timezone, as the daily insights schedule reads
    it); for a store without a known timezone its last data date, else the UTC date."""
    st = state()
    timezone = st.cache.get_or_compute(store_id(), "store_timezone", {},
                                       lambda: st.warehouse.store_timezone(store_id()))
    return local_today(timezone) or last_data_date() or dt.datetime.now(dt.timezone.utc).date()


def calendar_upcoming(q: RangeQuery, window: Window) -> Window | None:
    """/calendar without start_date, end_date and days: the days after the (contract's) default window
    up to 30 days after the store's today, where scheduled items are; None otherwise."""
    if q.start_date is not None or q.end_date is not None or q.days is not None:
        return None
    return upcoming_window(window, store_today())


def cached(endpoint: str, params: dict[str, Any], compute: Callable[[], Any], raw: bool = False) -> Any:
    return state().cache.get_or_compute(store_id(), endpoint, params, compute, raw=raw)


def window_key(window: Window) -> dict[str, str]:
    return {"start": window.start.isoformat(), "end": window.end.isoformat()}


# bumped when a cached report gains fields (2: marketing_profit and poas): a response cached by the
# previous version under the same build id would lack them (and the CSV export reading it would fail)
REPORT_SHAPE = 2


# ---- report builders shared by the JSON endpoints and the CSV exports ---------------------

def dashboard_data(window: Window, raw: bool = False) -> Any:
    model = default_model()
    st = state()
    return cached("dashboard", {**window_key(window), "model": model, "shape": REPORT_SHAPE},
                  lambda: reports.dashboard(st.warehouse, store_id(), window, model), raw)


def markov_for(window: Window) -> Callable[[], dict[str, Any]]:
    st = state()
    first, last = reports.months_overlapping(window)
    return lambda: cached("markov", {"first_month": first.isoformat(), "last_month": last.isoformat()},
                          lambda: reports.markov_shares(st.warehouse, store_id(), window))


def attribution_data(window: Window, model: str | None, raw: bool = False) -> Any:
    st = state()
    default = default_model()
    model = model or default
    models = list(MODELS) if model == "all" else [model]

    def compute() -> dict[str, Any]:
        results = reports.attribution(st.warehouse, store_id(), window, models, default, markov_for(window))
        if model == "all":
            return {"model": "all", "models": results, "date_range": window.to_json()}
        return {**results[model], "date_range": window.to_json()}

    return cached("attribution", {**window_key(window), "model": model, "default": default}, compute, raw)


def resolve_industry(industry: str | None) -> str:
    st = state()
    if industry is not None:
        known = cached("benchmark_industries", {}, st.warehouse.benchmark_industries)
        if industry not in known:
            raise InvalidParameter("industry", f"unknown industry {industry!r}; known: {', '.join(known)}")
        return industry
    return cached("store_industry", {},
                  lambda: st.warehouse.store_benchmark_industry(store_id()) or "general")


def benchmarks_data(channel: str, window: Window, industry: str, raw: bool = False) -> Any:
    st = state()
    return cached("benchmarks", {**window_key(window), "channel": channel, "industry": industry},
                  lambda: reports.benchmarks(st.warehouse, store_id(), channel, window, industry), raw)


def calendar_data(window: Window, channel: str | None, raw: bool = False) -> Any:
    st = state()
    return cached("calendar", {**window_key(window), "channel": channel},
                  lambda: reports.calendar(st.warehouse, store_id(), window, channel), raw)


# ---- endpoints -----------------------------------------------------------------------------

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
    window = window_of(q)
    st = state()
    default = default_model()
    model = q.model or default
    data = cached("roi", {**window_key(window), "channel": channel, "model": model, "default": default,
                          "shape": REPORT_SHAPE},
                  lambda: reports.roi(st.warehouse, store_id(), channel, window, model, default,
                                      markov_for(window)), raw=True)
    return ok_raw(data)


@bp.get("/benchmarks/<channel>")
@api_route(RouteSpec(
    summary="The channel's metrics rated against industry benchmarks",
    query=BenchmarksQuery, response=BenchmarksData, path_params=CHANNEL_PARAM,
    description="Values over the range from fct_unified_metrics; ranges from dim_benchmarks for "
                "`industry` (default: the store's, as in fct_benchmark_comparison), falling back to "
                "`general` per metric. Money metrics are converted into the band's currency at the "
                "monthly average rate as of start_date before rating; the warehouse rates (function "
                "benchmark_window, the rule of fct_benchmark_comparison). Ratings per the marts contract."))
def benchmarks(channel: str) -> Response:
    check_channel(channel)
    q = query(BenchmarksQuery)
    window = window_of(q)
    return ok_raw(benchmarks_data(channel, window, resolve_industry(q.industry), raw=True))


@bp.get("/calendar")
@api_route(RouteSpec(
    summary="Unified content calendar (articles, influencer deliveries) sorted by date",
    query=CalendarQuery, response=CalendarData,
    description="Items of fct_marketing_calendar by store-local date, in the window every endpoint uses. "
                "Without start_date, end_date and days, `upcoming` also lists the items after that window up "
                "to 30 days after the store's today (its local date, from dim_stores.timezone), so scheduled "
                "articles and deliveries show; `upcoming_range` gives those days."))
def calendar() -> Response:
    q = query(CalendarQuery)
    window = window_of(q)
    upcoming = calendar_upcoming(q, window)
    if upcoming is None:
        return ok_raw(calendar_data(window, q.channel, raw=True))
    data = dict(calendar_data(window, q.channel))
    data["upcoming"] = calendar_data(upcoming, q.channel)["items"]
    data["upcoming_range"] = {"start_date": upcoming.start.isoformat(), "end_date": upcoming.end.isoformat()}
    return ok(data)


def _export_rows(report: str, q: ExportQuery) -> tuple[list[str], list[list[Any]]]:
    window = window_of(q)
    if report == "channels":
        data = dashboard_data(window)
        cols = ["revenue", "cost", "profit", "conversions", "sessions", "roas", "cpa", "conversion_rate"]
        previous = ["revenue", "cost", "profit", "roas"]
        # profit after marketing cost is appended: the columns before it keep their positions
        added = ["marketing_profit", "poas"]
        prev = data["vs_previous_period"]
        header = ["start_date", "end_date", "channel", *cols, *(f"previous_{k}" for k in previous),
                  *added, *(f"previous_{k}" for k in added)]
        rows = [[window.start, window.end, c, *(m[k] for k in cols), *(prev[c][k]["previous"] for k in previous),
                 *(m[k] for k in added), *(prev[c][k]["previous"] for k in added)]
                for c, m in data["channels"].items()]
        return header, rows
    if report == "timeseries":
        ts = dashboard_data(window)["timeseries"]
        channels = [q.channel] if q.channel else list(ts["channels"])
        rows = [[day, c, ts["channels"][c]["revenue"][i], ts["channels"][c]["cost"][i],
                 ts["channels"][c]["conversions"][i]]
                for i, day in enumerate(ts["dates"]) for c in channels]
        return ["date", "channel", "revenue", "cost", "conversions"], rows
    if report == "attribution":
        data = attribution_data(window, q.model)
        results = data["models"] if data["model"] == "all" else {data["model"]: data}
        rows = []
        for model, res in results.items():
            for c in CHANNELS:
                rows.append([window.start, window.end, model, c, res["conversions"][c], res["attribution"][c],
                             res["profit"][c]])
            rows.append([window.start, window.end, model, "unattributed", res["unattributed_conversions"],
                         res["unattributed_revenue"], None])
        return ["start_date", "end_date", "model", "channel", "conversions", "revenue", "profit"], rows
    if report == "benchmarks":
        industry = resolve_industry(q.industry)
        rows = []
        for c in [q.channel] if q.channel else CHANNELS:
            data = benchmarks_data(c, window, industry)
            for metric, m in data["metrics"].items():
                b = m["benchmarks"] or {}
                rows.append([window.start, window.end, c, metric, m["value"], m["rating"], m["direction"],
                             m["industry"], b.get("poor"), b.get("average"), b.get("good"), b.get("excellent"),
                             m["currency"], m["benchmark_currency"], m["fx_rate"], m["fx_rate_date"],
                             m["value_in_benchmark_currency"], m["rating_reason"]])
        return ["start_date", "end_date", "channel", "metric", "value", "rating", "direction", "industry",
                "poor", "average", "good", "excellent", "currency", "benchmark_currency", "fx_rate",
                "fx_rate_date", "value_in_benchmark_currency", "rating_reason"], rows
    if report == "calendar":
        items = calendar_data(window, q.channel)["items"]
        keys = ["date", "item_type", "item_id", "channel", "title", "status"]
        return keys, [[item[k] for k in keys] for item in items]
    raise NotFound(f"unknown report {report!r}")  # unreachable: checked by the caller


@bp.get("/export/<report>.csv")
@api_route(RouteSpec(
    summary="CSV export of a report (header row first)",
    query=ExportQuery, response=str, csv=True, path_params=REPORT_PARAM,
    description="Reports: channels, attribution, timeseries, benchmarks, calendar. Takes the same "
                "parameters as the JSON endpoint of the report. Errors are JSON envelopes. `channels` "
                "ends with marketing_profit, poas and their previous-period values."))
def export(report: str) -> Response:
    if report not in REPORTS:
        raise NotFound(f"unknown report {report!r}: report must be one of {', '.join(REPORTS)}",
                       code="unknown_report", details={"param": "report", "allowed": list(REPORTS)})
    q = query(ExportQuery)
    header, rows = _export_rows(report, q)
    body = to_csv(header, rows)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{report}.csv"'
    return response


@bp.get("/healthz")
@api_route(RouteSpec(summary="200 when the warehouse answers (with the marts build), 503 when not",
                     response=HealthData, auth=False, tags=("ops",), errors=(503,),
                     description="Also the source freshness (marts.mart_source_freshness) and the status and "
                                 "finish time of the last finished pipeline run (`insights refresh`)."))
def healthz() -> Response:
    row = state().warehouse.build_info()
    if row is None:
        raise ServiceUnavailable("the marts have no build yet (marts.mart_build_info is empty)",
                                 code="marts_unavailable")
    built_at = row["built_at"].isoformat() if row["built_at"] else None
    from insight_service.api.data_quality import source_freshness  # marts.mart_source_freshness
    return ok({"status": "ok", "build_id": row["build_id"],
               "built_at": built_at,
               "attribution_default_model": row["attribution_default_model"],
               "build": {"build_id": row["build_id"], "built_at": built_at},
               "freshness": source_freshness(state().warehouse),
               "last_run": last_pipeline_run(state().warehouse)})


def last_pipeline_run(warehouse: Any) -> dict[str, Any] | None:
    """Status and finish time of the last finished refresh (nothing else: /healthz is anonymous);
    None before migration 003 or the first run. Never fails the health check."""
    present = warehouse.one(sql.SQL("select to_regclass(format('%%I.%%I', %s::text, 'pipeline_runs')) is not null "
                                    "as present"), (warehouse.settings.app_schema,))
    if not present or not present["present"]:
        return None
    try:
        row = warehouse.one(sql.SQL(
            "select status, finished_at from {a}.pipeline_runs where status in ('success', 'failed') "
            "order by finished_at desc limit 1").format(a=warehouse.a))
    except WarehouseUnavailable:
        raise  # the warehouse is down: /healthz answers 503 as before
    except Exception as exc:  # e.g. no privilege on the table: health is still answered
        log.warning("healthz: cannot read the last pipeline run: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return None
    return {"status": row["status"], "finished_at": row["finished_at"].isoformat()} if row else None


# ---- budget optimizer (insight_service/api/budget.py) --------------------------------------

@bp.get("/budget/optimize")
@api_route(RouteSpec(
    summary="Budget split for the next 30 days that maximises predicted revenue",
    query=BudgetQuery, response=BudgetData,
    description="Fits a saturating response curve (Hill on adstocked spend, or a constant-ROAS fallback) "
                "to each channel's daily cost and attributed revenue (fct_unified_metrics, the marts' "
                "default attribution model) over `lookback_days` ending at the store's last data date, "
                "and splits `total_budget` to maximise predicted revenue within per-channel bounds "
                "(default 0.7-1.3x each channel's current share). " + BUDGET_SYNTAX + " Or give "
                "`target_roas` instead of `total_budget` for the largest budget whose marginal ROAS "
                "stays >= target_roas. Scenarios compare the current split, a split proportional to "
                "average ROAS and the plan for the same budget. Infeasible bounds -> 400 "
                "`infeasible_bounds`; a store without spend -> 400 `insufficient_data`."))
def budget_optimize() -> Response:
    from insight_service.api import budget  # numpy/scipy: imported on first use, not at worker boot

    q = query(BudgetQuery)
    req = budget.BudgetRequest(total_budget=q.total_budget, lookback_days=q.lookback_days,
                               bounds=dict(q.bounds or {}), lock=tuple(q.lock or ()), target_roas=q.target_roas)
    st = state()
    model = default_model()

    def compute() -> dict[str, Any]:
        last = st.cache.get_or_compute(
            store_id(), "last_data_date", {},
            lambda: (lambda d: d.isoformat() if d else None)(st.warehouse.last_data_date(store_id())))
        return budget.optimize_store(st.warehouse.fetch, st.warehouse.m, store_id(), req,
                                     dt.date.fromisoformat(last) if last else None, attribution_model=model)

    return ok_raw(cached("budget_optimize", {**req.cache_params(), "model": model}, compute, raw=True))


# ---- insights (issue 7: insight_service/insights/) -------------------------------------------

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
            raise InvalidParameter(
                "body", 'must be a JSON object (Content-Type: application/json), e.g. {"limit": 5}')
        if "limit" in body:
            if "limit" in args:
                raise InvalidParameter("limit", "given both in the query string and in the body")
            value = body["limit"]
            args = MultiDict({"limit": value if isinstance(value, str) else json.dumps(value)})
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
    summary="Turn the store's top signals into insights (LLM, or deterministic templates)",
    query=InsightsGenerateQuery, response=InsightsGenerated, tags=("insights",), errors=(400, 401, 429, 503),
    success_status=201,
    description="Reads the `limit` most severe signals of marts.fct_insight_signals. With OPENAI_API_KEY set, "
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
    data = insights_service.generate(state().warehouse, store_id(), llm_config(), q.limit, lifecycle_config())
    return ok(data, status=201)


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


# GET /data-quality (registers itself on bp; module insight_service/api/data_quality.py)
from insight_service.api import data_quality as _data_quality  # noqa: E402,F401
