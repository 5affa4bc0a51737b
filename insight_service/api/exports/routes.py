"""The CSV export view."""
from __future__ import annotations

from flask import Response

from insight_service.api.exports import bp
from insight_service.api.exports.schemas import REPORT_PARAM, REPORTS, ExportQuery
from insight_service.api.exports.service import export_rows
from insight_service.api.web.bulkhead import heavy
from insight_service.api.web.context import query
from insight_service.api.web.json import to_csv
from insight_service.api.web.openapi import RouteSpec, api_route
from insight_service.core.errors import NotFound


@bp.get("/export/<report>.csv")
@api_route(RouteSpec(
    summary="CSV export of a report (header row first)",
    query=ExportQuery, response=str, csv=True, path_params=REPORT_PARAM,
    description="Reports: channels, attribution, timeseries, benchmarks, calendar. Takes the same "
                "parameters as the JSON endpoint of the report. Errors are JSON envelopes. `channels` "
                "ends with marketing_profit, poas and their previous-period values."))
@heavy
def export(report: str) -> Response:
    if report not in REPORTS:
        raise NotFound(f"unknown report {report!r}: report must be one of {', '.join(REPORTS)}",
                       code="unknown_report", details={"param": "report", "allowed": list(REPORTS)})
    q = query(ExportQuery)
    header, rows = export_rows(report, q)
    body = to_csv(header, rows)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{report}.csv"'
    return response
