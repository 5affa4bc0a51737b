"""The forecast response: the stored fit of one series, the history tail it continues, or a 409 that says
why there is none (never a fit at request time)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from insight_service.api.forecast import queries
from insight_service.api.forecast.schemas import HISTORY_WEEKS, ForecastQuery
from insight_service.core.errors import Conflict
from insight_service.core.warehouse import Warehouse
from insight_service.forecast.models import MIN_HISTORY_DAYS

NOT_READY = "no forecast yet for this store: run `insights refresh` (or `insights forecast`)"


def _round(value: float, metric: str) -> float:
    return round(float(value), 2 if metric in ("revenue", "cost") else 4)


def forecast(wh: Warehouse, store_id: str, q: ForecastQuery) -> dict[str, Any]:
    head = queries.series_fit(wh, store_id, q.metric, q.channel)
    if head is None:
        fit = queries.store_fit(wh, store_id)
        if fit is not None and fit["status"] == "insufficient_history":
            raise Conflict(f"too little history for a forecast: {fit['history_days']} day(s) of data, a forecast "
                           f"needs {MIN_HISTORY_DAYS}", code="insufficient_history",
                           details={"history_days": fit["history_days"], "needed_days": MIN_HISTORY_DAYS})
        raise Conflict(NOT_READY, code="forecast_not_ready")
    last: dt.date = head["last_data_date"]
    history = queries.history(wh, store_id, q.metric, q.channel, last - dt.timedelta(days=7 * HISTORY_WEEKS - 1), last)
    days = queries.forecast_days(wh, store_id, q.metric, q.channel, q.horizon)
    return {
        "metric": q.metric,
        "channel": q.channel,
        "fitted_at": head["fitted_at"].isoformat(),
        "model": head["model"],
        "last_data_date": last.isoformat(),
        "horizon": q.horizon,
        "history": [{"date": r["date"].isoformat(), "value": _round(r["value"], q.metric)} for r in history],
        "forecast": [{"date": r["date"].isoformat(),
                      **{k: _round(r[k], q.metric) for k in ("value", "lower_80", "upper_80", "lower_95", "upper_95")}}
                     for r in days],
    }
