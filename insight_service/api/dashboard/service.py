"""The dashboard report: per-channel KPIs of a window and of the one before, their changes and the
daily series, as a JSON-ready dict (numbers rounded once from ``Decimal`` sums, dates ISO)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from insight_service.api.dashboard import queries
from insight_service.api.dashboard.projections import month_projections
from insight_service.api.web.context import cached, default_model, state, store_id, window_key
from insight_service.core.numbers import (
    COUNT,
    MONEY,
    RATE,
    RATIO,
    ZERO,
    dec,
    integer,
    marketing_profit,
    num,
)
from insight_service.core.periods import Window
from insight_service.core.vocabulary import CHANNELS
from insight_service.core.warehouse import Warehouse

ROLLUP = "overall"
# bumped when a cached report gains fields (2: marketing_profit and poas; 3: projections): a response cached
# by the previous version under the same build id would lack them (and the CSV export reading it would fail)
DASHBOARD_SHAPE = 3
# the metrics of vs_previous_period (the contract's four, then profit after marketing cost)
COMPARED_METRICS = ("revenue", "cost", "profit", "roas", "marketing_profit", "poas")


SUMS = ("revenue", "cost", "profit", "conversions", "sessions")
RATIOS = ("roas", "poas", "cpa", "conversion_rate")  # computed by the warehouse from the sums


def _metrics(t: dict[str, Decimal | None]) -> dict[str, Any]:
    return {
        "revenue": num(t["revenue"], MONEY),
        "cost": num(t["cost"], MONEY),
        "profit": num(t["profit"], MONEY),
        "marketing_profit": marketing_profit(t["profit"], t["cost"]),
        "poas": num(t["poas"], RATIO),
        "conversions": num(t["conversions"], COUNT),
        "sessions": integer(t["sessions"]),
        "roas": num(t["roas"], RATIO),
        "cpa": num(t["cpa"], MONEY),
        "conversion_rate": num(t["conversion_rate"], RATE),
    }


def change(current: float | None, previous: float | None) -> dict[str, Any]:
    """absolute, percentage (null when previous is 0 or null), direction (null when unknown)."""
    if current is None or previous is None:
        return {"absolute": None, "percentage": None, "direction": None}
    cur, prev = dec(current), dec(previous)
    absolute = cur - prev
    percentage = None if prev == 0 else num(absolute / abs(prev) * 100, RATE)
    direction = "up" if absolute > 0 else "down" if absolute < 0 else "flat"
    return {"absolute": num(absolute, 4), "percentage": percentage, "direction": direction}


def _comparison(cur: dict[str, Any], prev: dict[str, Any]) -> dict[str, Any]:
    return {metric: {"current": cur[metric], "previous": prev[metric], "change": change(cur[metric], prev[metric])}
            for metric in COMPARED_METRICS}


def dashboard(wh: Warehouse, store_id: str, window: Window, attribution_model: str) -> dict[str, Any]:
    names = (*CHANNELS, ROLLUP)
    empty = {**dict.fromkeys(SUMS, ZERO), **dict.fromkeys(RATIOS)}  # a channel without rows in the window
    totals = {period: {c: empty for c in names} for period in (True, False)}
    for row in queries.period_channel_totals(wh, store_id, window.previous.start, window.start, window.end):
        if row["channel"] in names:
            totals[row["is_current"]][row["channel"]] = {**{f: dec(row[f]) or ZERO for f in SUMS},
                                                         **{f: row[f] for f in RATIOS}}
    current = {c: _metrics(totals[True][c]) for c in names}
    previous = {c: _metrics(totals[False][c]) for c in names}
    # the series arrive dense and rounded from SQL: no per-value work here
    zeros = [0.0] * window.days
    series = {c: {"revenue": zeros, "cost": zeros, "conversions": zeros} for c in names}
    for row in queries.daily_series(wh, store_id, window.start, window.end, names):
        series[row["channel"]] = {f: row[f] for f in ("revenue", "cost", "conversions")}
    return {
        "channels": current,
        "vs_previous_period": {c: _comparison(current[c], previous[c]) for c in names},
        "timeseries": {
            "dates": [d.isoformat() for d in window.dates()],
            "channels": {c: series[c] for c in names},
        },
        "date_range": window.to_json(),
        "attribution_model": attribution_model,
        "projections": month_projections(wh, store_id, names),
    }


def dashboard_data(window: Window, raw: bool = False) -> Any:
    """The request store's dashboard of ``window``, cached per build (JSON text when ``raw``)."""
    model = default_model()
    st = state()
    return cached("dashboard", {**window_key(window), "model": model, "shape": DASHBOARD_SHAPE},
                  lambda: dashboard(st.warehouse, store_id(), window, model), raw)
