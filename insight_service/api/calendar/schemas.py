"""Query and response models of ``GET /calendar``."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from insight_service.api.web.params import (
    Channel,
    DateRange,
    IsoDate,
    RangeQuery,
    lowercase,
)

CALENDAR_DEFAULT = ("without start_date, end_date and days the response also lists `upcoming` items: after the "
                    "default window up to 30 days after the store's today (its local date)")


class CalendarQuery(RangeQuery):
    start_date: IsoDate | None = Field(None, description="first day (store-local, inclusive); " + CALENDAR_DEFAULT)
    end_date: IsoDate | None = Field(
        None, description="last day (store-local, inclusive); default: the last date the marts have for the "
                          "store; " + CALENDAR_DEFAULT)
    channel: Annotated[Channel | None, BeforeValidator(lowercase)] = Field(None, description="only this channel")


class CalendarItem(BaseModel):
    date: dt.date
    item_type: str
    item_id: str
    channel: str | None
    title: str | None
    status: str | None


class UpcomingRange(BaseModel):
    start_date: dt.date
    end_date: dt.date


class CalendarData(BaseModel):
    items: list[CalendarItem]
    date_range: DateRange
    upcoming: list[CalendarItem] | None = Field(
        None, description="only without start_date, end_date and days: items after date_range up to 30 days "
                          "after the store's today (scheduled articles, planned deliveries)")
    upcoming_range: UpcomingRange | None = Field(None, description="the days `upcoming` covers")
