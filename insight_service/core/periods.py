"""Date windows: the requested period, its default, and the previous period.

``start_date`` / ``end_date`` are store-local ISO dates, inclusive. ``days`` means the
``days`` days ending at ``end_date``. Default: the 30 days ending at the last date the marts
have for the store. The previous period is the window of equal length just before.

The calendar keeps this default window (the API contract's), and when none of ``start_date``,
``end_date``, ``days`` is given it also lists, under ``upcoming``, what is planned after that window
up to ``CALENDAR_DAYS_AROUND`` days after the store's today (its local date now): scheduled
articles and deliveries lie past the last data date.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from insight_service.core.errors import InvalidInput

DEFAULT_DAYS = 30
MAX_DAYS = 731
MIN_DATE = dt.date(1900, 1, 1)
CALENDAR_DAYS_AROUND = 30


@dataclasses.dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Window:
        prev_end = self.start - dt.timedelta(days=1)
        return Window(prev_end - dt.timedelta(days=self.days - 1), prev_end)

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def to_json(self) -> dict[str, Any]:
        prev = self.previous
        return {
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
            "days": self.days,
            "previous_start_date": prev.start.isoformat(),
            "previous_end_date": prev.end.isoformat(),
        }


def resolve_window(start: dt.date | None, end: dt.date | None, days: int | None,
                   last_data_date: Callable[[], dt.date | None]) -> Window:
    """Turn validated parameters into a window (``last_data_date`` is called only if needed)."""
    if days is not None and start is not None:
        raise InvalidInput("days", "give either days or start_date, not both")
    if end is None:
        end = last_data_date() or dt.date.today()
    if start is None:
        length = days if days is not None else DEFAULT_DAYS
        start = end - dt.timedelta(days=length - 1)
    if start > end:
        raise InvalidInput(
            "start_date", f"start_date {start.isoformat()} is after end_date {end.isoformat()}"
        )
    window = Window(start, end)
    if window.days > MAX_DAYS:
        raise InvalidInput(
            "start_date", f"the range start_date..end_date is {window.days} days; at most {MAX_DAYS} are allowed"
        )
    if window.previous.start < MIN_DATE:
        raise InvalidInput("start_date", f"dates before {MIN_DATE.isoformat()} are not supported")
    return window


def local_today(timezone: str | None, now: dt.datetime | None = None) -> dt.date | None:
    """The date on the store's clock (``timezone``: the IANA name in marts.dim_stores); None when the
    zone is unknown. ``now`` must be aware (default: the current instant)."""
    if not timezone:
        return None
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()


def upcoming_window(window: Window, store_today: dt.date) -> Window | None:
    """The calendar's look-ahead: the days after ``window`` up to ``CALENDAR_DAYS_AROUND`` days after
    the store's today; None when the window already reaches that far."""
    end = store_today + dt.timedelta(days=CALENDAR_DAYS_AROUND)
    start = window.end + dt.timedelta(days=1)
    return Window(start, end) if start <= end else None
