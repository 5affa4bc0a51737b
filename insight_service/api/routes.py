"""The analytics blueprint: ``/api/marketing/analytics/...`` (see shared/contracts/api.md)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from insight_service.api import reports
from insight_service.api.errors import InvalidParameter, NotFound, NotImplementedYet, ServiceUnavailable
from insight_service.api.openapi import RouteSpec, api_route
from insight_service.api.periods import Window, resolve_window
from insight_service.api.serialize import to_csv
from insight_service.api.validation import (
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
    InsightsQuery,
    QueryModel,
    RangeQuery,
    RoiData,
    RoiQuery,
    validate_insight_id,
    validate_query,
)

BASE_PATH = "/api/marketing/analytics"

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


def window_of(q: RangeQuery) -> Window:
    st = state()

    def last_date() -> dt.date | None:
        value = st.cache.get_or_compute(
            store_id(), "last_data_date", {},
            lambda: (lambda d: d.isoformat() if d else None)(st.warehouse.last_data_date(store_id())))
        return dt.date.fromisoformat(value) if value else None

    return resolve_window(q.start_date, q.end_date, q.days, last_date)


def cached(endpoint: str, params: dict[str, Any], compute: Callable[[], Any], raw: bool = False) -> Any:
    return state().cache.get_or_compute(store_id(), endpoint, params, compute, raw=raw)


def window_key(window: Window) -> dict[str, str]:
    return {"start": window.start.isoformat(), "end": window.end.isoformat()}


# ---- report builders shared by the JSON endpoints and the CSV exports ---------------------

def dashboard_data(window: Window, raw: bool = False) -> Any:
    model = default_model()
    st = state()
    return cached("dashboard", {**window_key(window), "model": model},
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
                  lambda: reports.store_industry(st.warehouse.store_industries(store_id())))


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
                "cost, profit, conversions, sessions, roas, cpa, conversion_rate; the same window just "
                "before for `vs_previous_period`; daily revenue/cost/conversions for charts."))
def dashboard() -> Response:
    q = query(DashboardQuery)
    return ok_raw(dashboard_data(window_of(q), raw=True))


@bp.get("/attribution")
@api_route(RouteSpec(
    summary="Revenue and conversions credited to each channel by an attribution model",
    query=AttributionQuery, response=AttributionData | AllModelsAttribution,
    description="Rule-based models from fct_channel_attribution_daily; `data_driven` is the Markov "
                "removal-effect model on fct_conversion_paths of the months overlapping the range, "
                "scaled to the range's total conversions and revenue. `model=all` returns every model."))
def attribution() -> Response:
    q = query(AttributionQuery)
    return ok_raw(attribution_data(window_of(q), q.model, raw=True))


@bp.get("/roi/<channel>")
@api_route(RouteSpec(
    summary="Revenue, cost, profit, ROI and ROAS of one channel",
    query=RoiQuery, response=RoiData, path_params=CHANNEL_PARAM,
    description="Revenue, profit and conversions attributed to the channel under `model`; cost "
                "from fct_unified_metrics. roi = (revenue − cost) / cost × 100."))
def roi(channel: str) -> Response:
    check_channel(channel)
    q = query(RoiQuery)
    window = window_of(q)
    st = state()
    default = default_model()
    model = q.model or default
    data = cached("roi", {**window_key(window), "channel": channel, "model": model, "default": default},
                  lambda: reports.roi(st.warehouse, store_id(), channel, window, model, default,
                                      markov_for(window)), raw=True)
    return ok_raw(data)


@bp.get("/benchmarks/<channel>")
@api_route(RouteSpec(
    summary="The channel's metrics rated against industry benchmarks",
    query=BenchmarksQuery, response=BenchmarksData, path_params=CHANNEL_PARAM,
    description="Values over the range from fct_unified_metrics; ranges from dim_benchmarks for "
                "`industry` (default: the store's, as in fct_benchmark_comparison), falling back to "
                "`general` per metric. Ratings per the marts contract."))
def benchmarks(channel: str) -> Response:
    check_channel(channel)
    q = query(BenchmarksQuery)
    window = window_of(q)
    return ok_raw(benchmarks_data(channel, window, resolve_industry(q.industry), raw=True))


@bp.get("/calendar")
@api_route(RouteSpec(
    summary="Unified content calendar (articles, influencer deliveries) sorted by date",
    query=CalendarQuery, response=CalendarData))
def calendar() -> Response:
    q = query(CalendarQuery)
    return ok_raw(calendar_data(window_of(q), q.channel, raw=True))


def _export_rows(report: str, q: ExportQuery) -> tuple[list[str], list[list[Any]]]:
    window = window_of(q)
    if report == "channels":
        data = dashboard_data(window)
        cols = ["revenue", "cost", "profit", "conversions", "sessions", "roas", "cpa", "conversion_rate"]
        prev = data["vs_previous_period"]
        header = ["start_date", "end_date", "channel", *cols, "previous_revenue", "previous_cost",
                  "previous_profit", "previous_roas"]
        rows = [[window.start, window.end, c, *(m[k] for k in cols),
                 prev[c]["revenue"]["previous"], prev[c]["cost"]["previous"], prev[c]["profit"]["previous"],
                 prev[c]["roas"]["previous"]]
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
                             m["industry"], b.get("poor"), b.get("average"), b.get("good"), b.get("excellent")])
        return ["start_date", "end_date", "channel", "metric", "value", "rating", "direction", "industry",
                "poor", "average", "good", "excellent"], rows
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
                "parameters as the JSON endpoint of the report. Errors are JSON envelopes."))
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
                     response=HealthData, auth=False, tags=("ops",), errors=(503,)))
def healthz() -> Response:
    row = state().warehouse.build_info()
    if row is None:
        raise ServiceUnavailable("the marts have no build yet (marts.mart_build_info is empty)",
                                 code="marts_unavailable")
    return ok({"status": "ok", "build_id": row["build_id"],
               "built_at": row["built_at"].isoformat() if row["built_at"] else None,
               "attribution_default_model": row["attribution_default_model"]})


# ---- not implemented yet (inputs validated already) ---------------------------------------

def _not_implemented(what: str) -> NotImplementedYet:
    return NotImplementedYet(f"{what} is not implemented yet", details={"feature": what})


@bp.get("/budget/optimize")
@api_route(RouteSpec(summary="Budget allocation for the next 30 days (not implemented yet: 501)",
                     query=BudgetQuery, response=BudgetData, errors=(400, 401, 429, 501, 503)))
def budget_optimize() -> Response:
    query(BudgetQuery)
    raise _not_implemented("budget optimisation")


@bp.get("/insights")
@api_route(RouteSpec(summary="The store's insights (not implemented yet: 501)", query=InsightsQuery,
                     response=InsightsData, tags=("insights",), errors=(400, 401, 429, 501, 503)))
def insights_list() -> Response:
    query(InsightsQuery)
    raise _not_implemented("insights")


@bp.post("/insights/generate")
@api_route(RouteSpec(summary="Generate insights (not implemented yet: 501)", response=InsightsData,
                     tags=("insights",), errors=(401, 429, 501, 503), success_status=201))
def insights_generate() -> Response:
    raise _not_implemented("insight generation")


@bp.post("/insights/<insight_id>/dismiss")
@api_route(RouteSpec(summary="Dismiss an insight (not implemented yet: 501)", response=Insight,
                     path_params=INSIGHT_PARAM, tags=("insights",), errors=(400, 401, 429, 501, 503)))
def insights_dismiss(insight_id: str) -> Response:
    validate_insight_id(insight_id)
    raise _not_implemented("insight status changes")


@bp.post("/insights/<insight_id>/action")
@api_route(RouteSpec(summary="Mark an insight actioned (not implemented yet: 501)", response=Insight,
                     path_params=INSIGHT_PARAM, tags=("insights",), errors=(400, 401, 429, 501, 503)))
def insights_action(insight_id: str) -> Response:
    validate_insight_id(insight_id)
    raise _not_implemented("insight status changes")
