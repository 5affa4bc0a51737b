"""``GET /budget/utilization``: the month's budget, spend and pace per channel (fct_budget_utilization)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from insight_service.api.budget.queries import utilization_query
from insight_service.api.web.context import cached, last_data_date, state, store_id, store_today
from insight_service.core.numbers import MONEY, RATE, ZERO, dec, num
from insight_service.core.vocabulary import CHANNELS
from insight_service.core.warehouse import Warehouse

MONEY_FIELDS = ("monthly_budget", "spent", "projected_spend")


def _order(channel: str) -> tuple[int, str]:
    return (CHANNELS.index(channel) if channel in CHANNELS else len(CHANNELS), channel)


def utilization(wh: Warehouse, store_id: str, month: dt.date) -> dict[str, Any]:
    rows = sorted(wh.fetch(utilization_query(wh.m), {"store": store_id, "month": month}),
                  key=lambda r: _order(r["channel"]))
    channels = [{
        "channel": r["channel"],
        "monthly_budget": num(r["monthly_budget"], MONEY),
        "spent": num(r["spent"] or ZERO, MONEY),
        "utilization_pct": num(r["utilization_pct"], RATE),
        "projected_spend": num(r["projected_spend"] or ZERO, MONEY),
        "pacing": r["pacing"],
        "days_elapsed": int(r["days_elapsed"]),
        "days_in_month": int(r["days_in_month"]),
    } for r in rows]
    totals = {f: num(sum((dec(r[f]) or ZERO for r in rows), ZERO), MONEY) for f in MONEY_FIELDS}
    return {"month": month.strftime("%Y-%m"), "channels": channels, "totals": totals}


def default_month() -> dt.date:
    """The month of the store's last data date (its today's month for a store without data)."""
    return (last_data_date() or store_today()).replace(day=1)


def utilization_data(month: dt.date | None, raw: bool = False) -> Any:
    month = month or default_month()
    st = state()
    return cached("budget_utilization", {"month": month.isoformat()},
                  lambda: utilization(st.warehouse, store_id(), month), raw)
