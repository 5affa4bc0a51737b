"""The scheduler's daily insights: once per store-local day, at or after ``--insights-hour``
in the store's timezone (``marts.dim_stores.timezone``).

A store is due when its local clock is at or past the hour and its last generated local day
(``app.pipeline_daily_insights``) is before today. "At or past" means a scheduler started (or
back from an outage) later in the day catches up at once instead of skipping the day; on a
spring-forward night whose hour does not exist the first later local hour fires, and the
repeated hour of a fall-back night cannot fire twice (the day is already recorded).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.types.json import Jsonb


def local_now(now: dt.datetime, timezone: str) -> dt.datetime | None:
    """``now`` (aware) on the store's clock; None for an unknown timezone."""
    try:
        return now.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def due_stores(now: dt.datetime, stores: Mapping[str, str], hour: int,
               done: Mapping[str, dt.date]) -> list[tuple[str, dt.date]]:
    """[(store_id, local date)] due for their daily insights at instant ``now``.

    ``stores``: store_id -> IANA timezone; ``done``: store_id -> last local date generated.
    Pure: the scheduler passes the wall clock, tests pass fixed instants."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0..23, got {hour}")
    due = []
    for store_id in sorted(stores):
        local = local_now(now, stores[store_id])
        if local is None or local.hour < hour:
            continue
        last = done.get(store_id)
        if last is not None and last >= local.date():
            continue
        due.append((store_id, local.date()))
    return due


def store_timezones(conn: psycopg.Connection, marts_schema: str = "marts") -> dict[str, str]:
    try:
        with conn.transaction():
            rows = conn.execute(sql.SQL("select store_id, timezone from {} where store_id is not null")
                                .format(sql.Identifier(marts_schema, "dim_stores"))).fetchall()
    except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName):
        return {}  # marts not built yet: no store is due
    return {str(s): str(tz) for s, tz in rows if tz}


def done_days(conn: psycopg.Connection) -> dict[str, dt.date]:
    rows = conn.execute(
        "select store_id, max(local_date) from app.pipeline_daily_insights group by store_id").fetchall()
    return {str(s): d for s, d in rows}


def record_done(conn: psycopg.Connection, store_id: str, local_date: dt.date, result: dict[str, Any]) -> None:
    conn.execute("insert into app.pipeline_daily_insights (store_id, local_date, result) values (%s, %s, %s) "
                 "on conflict (store_id, local_date) do nothing", (store_id, local_date, Jsonb(result)))


def run_daily(conn: psycopg.Connection, now: dt.datetime, hour: int,
              generate_for: Callable[[list[str]], list[dict[str, Any]]],
              marts_schema: str = "marts") -> list[dict[str, Any]]:
    """Generate the insights of every due store and record the successes (call under the
    pipeline lock: one writer). Failed stores are not recorded, so the next wake retries them."""
    due = due_stores(now, store_timezones(conn, marts_schema), hour, done_days(conn))
    if not due:
        return []
    days = dict(due)
    results = generate_for([store_id for store_id, _ in due])
    for result in results:
        result["local_date"] = days[result["store_id"]].isoformat()
        if result["result"] == "ok":
            record_done(conn, result["store_id"], days[result["store_id"]], result)
    return results
