"""The calendar view."""
from __future__ import annotations

from flask import Response

from insight_service.api.calendar import bp
from insight_service.api.calendar.schemas import CalendarData, CalendarQuery
from insight_service.api.calendar.service import calendar_data, calendar_upcoming
from insight_service.api.web.context import ok, ok_raw, query, window_of
from insight_service.api.web.openapi import RouteSpec, api_route


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
