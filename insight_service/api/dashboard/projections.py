"""Month-to-date and end-of-month projections of revenue and spend against the channel budgets: the
actuals of the month of the store's last data day (fct_unified_metrics) plus the stored daily forecast
of the month's remaining days (app.forecasts, fitted by the refresh; nothing is fitted here).

The month-end interval adds the days' interval half-widths as independent errors (root of the sum of
squares): narrower than adding the bounds (which assumes every day misses the same way), and the
backtest's daily errors are close to independent once the weekly pattern is removed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from typing import Any

from psycopg import sql

from insight_service.core.numbers import MONEY, RATE, dec, num
from insight_service.core.warehouse import Warehouse

UNDER_PCT, OVER_PCT = 90, 110  # the pacing bands of fct_budget_utilization


def _fetch(wh: Warehouse, store_id: str, last: dt.date, month_start: dt.date, month_end: dt.date
           ) -> tuple[list[dict[str, Any]], ...]:
    previous_start = (month_start - dt.timedelta(days=1)).replace(day=1)
    params = {"store": store_id, "last": last, "start": month_start, "end": month_end, "previous": previous_start}
    actuals = wh.fetch(sql.SQL(
        "select channel, sum(revenue) as revenue, sum(cost) as cost from {m}.fct_unified_metrics "
        "where store_id = %(store)s and period = 'daily' and source = 'all' "
        "and period_start between %(start)s and %(last)s group by channel"
    ).format(m=wh.m), params)
    previous = wh.fetch(sql.SQL(
        "select channel, sum(revenue) as revenue from {m}.fct_unified_metrics where store_id = %(store)s "
        "and period = 'daily' and source = 'all' and period_start >= %(previous)s and period_start < %(start)s "
        "group by channel"
    ).format(m=wh.m), params)
    budgets = wh.fetch(sql.SQL(
        "select channel, monthly_budget from {m}.fct_budget_utilization "
        "where store_id = %(store)s and month_start = %(start)s"
    ).format(m=wh.m), params)
    forecast = wh.fetch(sql.SQL(
        "select metric, channel, value, lower_80, upper_80 from {a}.forecasts where store_id = %(store)s "
        "and metric in ('revenue', 'cost') and day > %(last)s and day <= %(end)s"
    ).format(a=wh.a), params)
    return actuals, previous, budgets, forecast


def _projection(to_date: float, days: list[dict[str, Any]]) -> dict[str, Any]:
    value = sum(d["value"] for d in days)
    below = math.sqrt(sum((d["value"] - d["lower_80"]) ** 2 for d in days))
    above = math.sqrt(sum((d["upper_80"] - d["value"]) ** 2 for d in days))
    return {"month_to_date": num(to_date, MONEY), "projected": num(to_date + value, MONEY),
            "lower_80": num(max(to_date, to_date + value - below), MONEY),
            "upper_80": num(to_date + value + above, MONEY)}


def month_projections(wh: Warehouse, store_id: str, channels: tuple[str, ...]) -> dict[str, Any] | None:
    """None when the store has no stored forecast yet."""
    fit = wh.one(sql.SQL("select last_data_date, fitted_at from {a}.forecast_stores "
                         "where store_id = %(store)s and status = 'ok'").format(a=wh.a), {"store": store_id})
    if fit is None or fit["last_data_date"] is None:
        return None
    last: dt.date = fit["last_data_date"]
    month_start = last.replace(day=1)
    month_end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    actuals, previous, budgets, forecast = _fetch(wh, store_id, last, month_start, month_end)
    to_date = {r["channel"]: r for r in actuals}
    last_month = {r["channel"]: r["revenue"] for r in previous}
    budget = {r["channel"]: dec(r["monthly_budget"]) for r in budgets if r["monthly_budget"] is not None}
    if budget:
        budget["overall"] = sum(budget.values())
    ahead: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in forecast:
        ahead[(row["metric"], row["channel"])].append(row)

    out = {}
    for channel in channels:
        actual = to_date.get(channel) or {}
        revenue = _projection(float(actual.get("revenue") or 0), ahead[("revenue", channel)])
        revenue["previous_month"] = num(last_month.get(channel), MONEY)
        cost = _projection(float(actual.get("cost") or 0), ahead[("cost", channel)])
        channel_budget = budget.get(channel)
        cost["budget"] = num(channel_budget, MONEY)
        utilization = (None if not channel_budget else
                       num(dec(cost["projected"]) / channel_budget * 100, RATE))
        cost["projected_utilization_pct"] = utilization
        cost["pacing"] = (None if utilization is None else
                          "over" if utilization > OVER_PCT else "under" if utilization < UNDER_PCT else "on")
        out[channel] = {"revenue": revenue, "cost": cost}
    return {
        "month_start": month_start.isoformat(),
        "month_end": month_end.isoformat(),
        "as_of": last.isoformat(),
        "days_elapsed": (last - month_start).days + 1,
        "days_in_month": (month_end - month_start).days + 1,
        "forecast_fitted_at": fit["fitted_at"].isoformat(),
        "channels": out,
    }
