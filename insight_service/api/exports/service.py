"""The rows of each CSV export, composed from the reports of the dashboard, attribution,
benchmarks and calendar features (the same cached data their JSON endpoints serve)."""
from __future__ import annotations

from typing import Any

from insight_service.api.attribution.service import attribution_data
from insight_service.api.benchmarks.service import benchmarks_data, resolve_industry
from insight_service.api.calendar.service import calendar_data
from insight_service.api.dashboard.service import dashboard_data
from insight_service.api.exports.schemas import ExportQuery
from insight_service.api.web.context import window_of
from insight_service.core.errors import NotFound
from insight_service.core.vocabulary import CHANNELS


def export_rows(report: str, q: ExportQuery) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of ``report`` for the request's store."""
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
