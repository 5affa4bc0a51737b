"""``app.forecasts`` (migration 005): write a store's fit in one transaction, read it back.

A fit replaces every row of the store (delete + COPY + upserts in one transaction), so a reader sees
either the previous fit or the new one, never a mix.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from insight_service.forecast.fit import StoreForecast
from insight_service.forecast.models import Calibration

SCHEMA = "app"


def _t(name: str, schema: str = SCHEMA) -> sql.Identifier:
    return sql.Identifier(schema, name)


def save(conn: psycopg.Connection, result: StoreForecast, fitted_at: dt.datetime | None = None,
         schema: str = SCHEMA) -> int:
    """Replace the store's forecasts by ``result``; returns the day rows written."""
    fitted_at = fitted_at or dt.datetime.now(dt.UTC)
    rows = 0
    with conn.transaction():
        # one fit of a store at a time (refresh and `insights forecast` may overlap)
        conn.execute("select pg_advisory_xact_lock(hashtext('app.forecasts'), hashtext(%s))", (result.store_id,))
        for table in ("forecasts", "forecast_series"):
            conn.execute(sql.SQL("delete from {} where store_id = %s").format(_t(table, schema)), (result.store_id,))
        if result.series and result.last_data_date is not None:
            first = result.last_data_date + dt.timedelta(days=1)
            with conn.cursor() as cur, cur.copy(sql.SQL(
                    "copy {} (store_id, metric, channel, day, value, lower_80, upper_80, lower_95, upper_95) "
                    "from stdin").format(_t("forecasts", schema))) as copy:
                for (metric, channel), forecast in result.series.items():
                    for offset, values in enumerate(forecast.rows()):
                        copy.write_row((result.store_id, metric, channel, first + dt.timedelta(days=offset),
                                        *values))
                        rows += 1
            conn.cursor().executemany(sql.SQL(
                "insert into {} (store_id, metric, channel, model, fitted_at, last_data_date, calibration) "
                "values (%s, %s, %s, %s, %s, %s, %s)").format(_t("forecast_series", schema)),
                [(result.store_id, metric, channel, f.model, fitted_at, result.last_data_date,
                  Jsonb({"mae": {k: round(v, 4) for k, v in f.calibration_mae.items()}, "residuals": f.residuals,
                         **({"selection": f.calibration.to_json()} if f.calibration is not None else {})}))
                 for (metric, channel), f in result.series.items()])
        conn.execute(sql.SQL(
            "insert into {} (store_id, status, fitted_at, last_data_date, history_days, series, duration_s) "
            "values (%s, %s, %s, %s, %s, %s, %s) on conflict (store_id) do update set status = excluded.status, "
            "fitted_at = excluded.fitted_at, last_data_date = excluded.last_data_date, "
            "history_days = excluded.history_days, series = excluded.series, duration_s = excluded.duration_s"
        ).format(_t("forecast_stores", schema)),
            (result.store_id, result.status, fitted_at, result.last_data_date, result.history_days,
             len(result.series), round(result.duration_s, 3)))
    return rows


def fitted_stores(conn: psycopg.Connection, schema: str = SCHEMA) -> dict[str, dt.date | None]:
    """store_id -> the last data date its stored fit was made on."""
    rows = conn.execute(sql.SQL("select store_id, last_data_date from {}").format(_t("forecast_stores", schema)))
    return {r[0]: r[1] for r in rows.fetchall()}


def read(conn: psycopg.Connection, store_id: str, metric: str, channel: str, horizon: int,
         schema: str = SCHEMA) -> dict[str, Any] | None:
    """The stored forecast of one series (its first ``horizon`` days), None when there is none."""
    with conn.cursor(row_factory=dict_row) as cur:
        head = cur.execute(sql.SQL(
            "select model, fitted_at, last_data_date from {} where store_id = %s and metric = %s and channel = %s"
        ).format(_t("forecast_series", schema)), (store_id, metric, channel)).fetchone()
        if head is None:
            return None
        days = cur.execute(sql.SQL(
            "select day, value, lower_80, upper_80, lower_95, upper_95 from {} "
            "where store_id = %s and metric = %s and channel = %s order by day limit %s"
        ).format(_t("forecasts", schema)), (store_id, metric, channel, horizon)).fetchall()
    return {**head, "days": days}


def calibrations(conn: psycopg.Connection, store_id: str, schema: str = SCHEMA) -> dict[tuple[str, str], Calibration]:
    """The stored model selections of a store's series (rows written before selections were stored have
    none: those series are selected again)."""
    rows = conn.execute(sql.SQL("select metric, channel, calibration -> 'selection' from {} where store_id = %s")
                        .format(_t("forecast_series", schema)), (store_id,)).fetchall()
    out = {}
    for metric, channel, selection in rows:
        calibration = Calibration.from_json(selection) if isinstance(selection, dict) else None
        if calibration is not None:
            out[(metric, channel)] = calibration
    return out
