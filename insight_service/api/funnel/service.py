"""The funnel report of a window as a JSON-ready dict (every channel, then overall)."""
from __future__ import annotations

from typing import Any

from insight_service.api.funnel import queries
from insight_service.api.web.context import cached, state, store_id, window_key
from insight_service.core.numbers import COUNT, RATE, integer, num
from insight_service.core.periods import Window
from insight_service.core.vocabulary import CHANNELS
from insight_service.core.warehouse import Warehouse

ROLLUP = "overall"
STEPS = ("impressions", "clicks", "sessions")
RATES = ("click_rate", "session_rate", "conversion_rate")


def _steps(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {**{f: integer(row.get(f)) for f in STEPS}, "conversions": num(row.get("conversions") or 0, COUNT),
            **{f: num(row.get(f), RATE) for f in RATES}}


def funnel(wh: Warehouse, store_id: str, window: Window) -> dict[str, Any]:
    rows = {row["channel"]: row for row in queries.funnel_totals(wh, store_id, window.start, window.end)}
    return {"date_range": window.to_json(),
            "channels": {c: _steps(rows.get(c)) for c in (*CHANNELS, ROLLUP)}}


def funnel_data(window: Window, raw: bool = False) -> Any:
    """The request store's funnel of ``window``, cached per build (JSON text when ``raw``)."""
    st = state()
    return cached("funnel", window_key(window), lambda: funnel(st.warehouse, store_id(), window), raw)
