"""SQL of the calendar (fct_marketing_calendar)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from psycopg import sql

from insight_service.core.warehouse import Warehouse


def calendar_items(wh: Warehouse, store_id: str, start: dt.date, end: dt.date,
                   channel: str | None = None) -> list[dict[str, Any]]:
    return wh.fetch(sql.SQL(
        "select scheduled_date as date, item_type, item_id, channel, title, status "
        "from {m}.fct_marketing_calendar "
        "where store_id = %(store)s and scheduled_date between %(start)s and %(end)s "
        "and (%(channel)s::text is null or channel = %(channel)s::text) "
        "order by scheduled_date, item_type, item_id"
    ).format(m=wh.m), {"store": store_id, "start": start, "end": end, "channel": channel})
