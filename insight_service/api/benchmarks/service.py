"""The benchmarks report: the channel's metrics over a window, valued, converted and rated by the
warehouse, shown with fixed decimals; and the industry a request reads (given, or the store's)."""
from __future__ import annotations

from typing import Any

from insight_service.api.benchmarks import queries
from insight_service.api.web.context import cached, state, store_id, window_key
from insight_service.core.errors import InvalidInput
from insight_service.core.numbers import MONEY, RATE, RATIO, iso, num
from insight_service.core.periods import Window
from insight_service.core.warehouse import Warehouse

# decimals each benchmarked value is shown with (the rating itself is the warehouse's)
VALUE_PLACES: dict[str, int] = {
    "conversion_rate": RATE, "roas": RATIO, "roi": RATE, "cpa": MONEY, "cpc": MONEY,
    "engagement_rate": RATE, "bounce_rate": RATE, "avg_session_duration_s": MONEY,
}
RATINGS = ("excellent", "good", "average", "poor", "insufficient_data")


def benchmarks(wh: Warehouse, store_id: str, channel: str, window: Window, industry: str) -> dict[str, Any]:
    """The channel's metrics over the window, valued, converted and rated by the warehouse.

    Nothing is rated here: ``benchmark_window`` (macros/benchmarks.sql) applies the band choice
    (the industry's, else general's), the FX conversion of money metrics and the rating rule
    that fct_benchmark_comparison applies, so the API and the mart cannot disagree."""
    metrics: dict[str, Any] = {}
    rows = queries.benchmark_window(wh, store_id, channel, industry, window.start, window.end)
    for row in sorted(rows, key=lambda r: r["metric"]):  # byte order, whatever the database collation
        metric = row["metric"]
        direction = row["direction"] if row["direction"] in ("higher_is_better", "lower_is_better") else None
        metrics[metric] = {
            "value": num(row["value"], VALUE_PLACES.get(metric, 4)),
            "rating": row["rating"] if row["rating"] in RATINGS else "insufficient_data",
            "direction": direction,
            "benchmarks": {level: num(row[level], 4) for level in ("poor", "average", "good", "excellent")},
            "industry": row["industry"],
            "unit": row["unit"],
            "currency": row["currency"],
            "benchmark_currency": row["benchmark_currency"],
            "fx_rate": num(row["fx_rate"], 10),
            "fx_rate_date": iso(row["fx_rate_date"]),
            "value_in_benchmark_currency": num(row["value_in_benchmark_currency"], 4),
            "rating_reason": row["rating_reason"],
        }
    return {"channel": channel, "industry": industry, "metrics": metrics, "date_range": window.to_json()}


# ---- for the request's store, cached per build ----------------------------------------------

def resolve_industry(industry: str | None) -> str:
    """The requested industry (400 when the marts do not know it), else the store's, else general."""
    st = state()
    if industry is not None:
        known = cached("benchmark_industries", {}, lambda: queries.benchmark_industries(st.warehouse))
        if industry not in known:
            raise InvalidInput("industry", f"unknown industry {industry!r}; known: {', '.join(known)}")
        return industry
    return cached("store_industry", {},
                  lambda: queries.store_benchmark_industry(st.warehouse, store_id()) or "general")


def benchmarks_data(channel: str, window: Window, industry: str, raw: bool = False) -> Any:
    """The channel's rated metrics over ``window`` (JSON text when ``raw``)."""
    st = state()
    return cached("benchmarks", {**window_key(window), "channel": channel, "industry": industry},
                  lambda: benchmarks(st.warehouse, store_id(), channel, window, industry), raw)
