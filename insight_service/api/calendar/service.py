"""The calendar report: the items of a window, and the look-ahead window of ``upcoming`` items."""
from __future__ import annotations

from typing import Any

from insight_service.api.calendar import queries
from insight_service.api.calendar.schemas import CalendarQuery
from insight_service.api.web.context import cached, state, store_id, store_today, window_key
from insight_service.core.periods import Window, upcoming_window
from insight_service.core.warehouse import Warehouse


def calendar(wh: Warehouse, store_id: str, window: Window, channel: str | None) -> dict[str, Any]:
    items = [
        {
            "date": row["date"].isoformat(),
            "item_type": row["item_type"],
            "item_id": str(row["item_id"]),
            "channel": row["channel"],
            "title": row["title"],
            "status": row["status"],
        }
        for row in queries.calendar_items(wh, store_id, window.start, window.end, channel)
    ]
    return {"items": items, "date_range": window.to_json()}


def calendar_upcoming(q: CalendarQuery, window: Window) -> Window | None:
    """/calendar without start_date, end_date and days: the days after the (contract's) default window
    up to 30 days after the store's today, where scheduled items are; None otherwise."""
    if q.start_date is not None or q.end_date is not None or q.days is not None:
        return None
    return upcoming_window(window, store_today())


def calendar_data(window: Window, channel: str | None, raw: bool = False) -> Any:
    """The request store's calendar items of ``window`` (JSON text when ``raw``)."""
    st = state()
    return cached("calendar", {**window_key(window), "channel": channel},
                  lambda: calendar(st.warehouse, store_id(), window, channel), raw)
