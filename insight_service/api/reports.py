"""The reports behind the endpoints, as JSON-ready dicts (numbers rounded, dates ISO).

Every function takes the store of the API key and a resolved :class:`Window`; nothing here
knows about HTTP. Arithmetic is done on ``Decimal`` sums from PostgreSQL and rounded once.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from insight_service.api.db import Warehouse
from insight_service.api.periods import Window
from insight_service.api.serialize import COUNT, MONEY, RATE, RATIO, dec, integer, iso, num, ratio
from insight_service.api.validation import CHANNELS, RULE_MODELS
from insight_service.attribution.markov import TransitionCounts, markov_from_transitions, round_preserving_total

DEFAULT_MODEL = "linear"
ZERO = Decimal(0)
ROLLUP = "overall"
UNATTRIBUTED = "unattributed"


def _sum(a: Any, b: Any) -> Decimal:
    return (dec(a) or ZERO) + (dec(b) or ZERO)


# ---- profit after marketing cost (issue 16) ------------------------------------------------

def profit_after_marketing(profit: Decimal, cost: Decimal) -> dict[str, float | None]:
    """marketing_profit = profit − cost and poas = profit / cost (null when cost is 0), from the
    window's summed profit and cost: a rollup is never an average of its days' or channels' ratios.
    marketing_profit is the difference of the two amounts in cents, as shown beside it (the marts hold
    cents, so this only matters for sub-cent inputs, where rounding the difference could differ by a cent)."""
    cents = num(dec(num(profit, MONEY)) - dec(num(cost, MONEY)), MONEY)
    return {"marketing_profit": cents, "poas": num(ratio(profit, cost), RATIO)}


# ---- dashboard ---------------------------------------------------------------------------

def _metrics(t: dict[str, Decimal]) -> dict[str, Any]:
    return {
        "revenue": num(t["revenue"], MONEY),
        "cost": num(t["cost"], MONEY),
        "profit": num(t["profit"], MONEY),
        **profit_after_marketing(t["profit"], t["cost"]),
        "conversions": num(t["conversions"], COUNT),
        "sessions": integer(t["sessions"]),
        "roas": num(ratio(t["revenue"], t["cost"]), RATIO),
        "cpa": num(ratio(t["cost"], t["conversions"]), MONEY),
        "conversion_rate": num(ratio(t["conversions"], t["sessions"], 100), RATE),
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


# the metrics of vs_previous_period (the contract's four, then profit after marketing cost)
COMPARED_METRICS = ("revenue", "cost", "profit", "roas", "marketing_profit", "poas")


def _comparison(cur: dict[str, Any], prev: dict[str, Any]) -> dict[str, Any]:
    return {metric: {"current": cur[metric], "previous": prev[metric], "change": change(cur[metric], prev[metric])}
            for metric in COMPARED_METRICS}


def dashboard(wh: Warehouse, store_id: str, window: Window, attribution_model: str) -> dict[str, Any]:
    names = (*CHANNELS, ROLLUP)
    fields = ("revenue", "cost", "profit", "conversions", "sessions")
    totals = {period: {c: {f: ZERO for f in fields} for c in names} for period in (True, False)}
    for row in wh.period_channel_totals(store_id, window.previous.start, window.start, window.end):
        if row["channel"] in names:
            totals[row["is_current"]][row["channel"]] = {f: dec(row[f]) or ZERO for f in fields}
    current = {c: _metrics(totals[True][c]) for c in names}
    previous = {c: _metrics(totals[False][c]) for c in names}
    # the series arrive dense and rounded from SQL: no per-value work here
    zeros = [0.0] * window.days
    series = {c: {"revenue": zeros, "cost": zeros, "conversions": zeros} for c in names}
    for row in wh.daily_series(store_id, window.start, window.end, names):
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
    }


# ---- attribution -------------------------------------------------------------------------

def _rule_result(model: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_channel: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"conversions": ZERO, "revenue": ZERO,
                                                                      "profit": ZERO})
    for row in rows:
        for f in ("conversions", "revenue", "profit"):
            by_channel[row["channel"]][f] = _sum(by_channel[row["channel"]][f], row[f])
    return _attribution_payload(model, by_channel)


def _attribution_payload(model: str, by_channel: dict[str, dict[str, Any]],
                         removal_effects: dict[str, float] | None = None) -> dict[str, Any]:
    """Channels of the contract in order; anything else (``unattributed``) is unattributed."""
    total = {f: sum((dec(v[f]) or ZERO for v in by_channel.values()), ZERO)
             for f in ("conversions", "revenue", "profit")}
    known = {c: by_channel.get(c, {"conversions": ZERO, "revenue": ZERO, "profit": ZERO}) for c in CHANNELS}
    rest = {f: total[f] - sum((dec(v[f]) or ZERO for v in known.values()), ZERO)
            for f in ("conversions", "revenue")}
    out: dict[str, Any] = {
        "model": model,
        "attribution": {c: num(known[c]["revenue"], MONEY) for c in CHANNELS},
        "conversions": {c: num(known[c]["conversions"], COUNT) for c in CHANNELS},
        "profit": {c: num(known[c]["profit"], MONEY) for c in CHANNELS},
        "total_revenue": num(total["revenue"], MONEY),
        "total_conversions": num(total["conversions"], COUNT),
        "unattributed_revenue": num(rest["revenue"], MONEY),
        "unattributed_conversions": num(rest["conversions"], COUNT),
    }
    if removal_effects is not None:
        out["removal_effects"] = {c: round(v, 6) for c, v in sorted(removal_effects.items())}
    return out


def months_overlapping(window: Window) -> tuple[dt.date, dt.date]:
    return window.start.replace(day=1), window.end.replace(day=1)


def markov_shares(wh: Warehouse, store_id: str, window: Window) -> dict[str, Any]:
    """Markov removal-effect credits over the months overlapping the window (JSON-ready)."""
    first, last = months_overlapping(window)
    edges: dict[tuple[str, str], float] = {}
    passthrough: dict[str, tuple[float, float]] = {}
    chain = (0.0, 0.0)
    converting: list[str] = []
    for row in wh.markov_transitions(store_id, first, last):
        kind = row["kind"]
        if kind == "transition":
            edges[(row["from_state"], row["to_state"])] = row["weight"] or 0.0
        elif kind == "passthrough":
            passthrough[row["from_state"]] = (row["conversions"] or 0.0, row["conversion_value"] or 0.0)
        elif kind == "chain_total":
            chain = (row["conversions"] or 0.0, row["conversion_value"] or 0.0)
        elif kind == "converting_channel":
            converting.append(row["from_state"])
    result = markov_from_transitions(TransitionCounts(edges, chain[0], chain[1], passthrough, tuple(converting)))
    return {
        "conversions": result.conversions,
        "revenue": result.revenue,
        "total_conversions": result.total_conversions,
        "total_value": result.total_value,
        "removal_effects": result.removal_effects,
    }


def _data_driven(shares: dict[str, Any], range_totals: dict[str, Decimal]) -> dict[str, Any]:
    """Scale the Markov credits (shares of the months' paths) to the window's totals."""
    channels = sorted(set(shares["conversions"]) | set(shares["revenue"]))
    by_channel: dict[str, dict[str, float]] = {}
    conv_total = float(range_totals["conversions"])
    rev_total = float(range_totals["revenue"])
    profit_total = float(range_totals["profit"])
    if shares["total_conversions"] > 0 or shares["total_value"] > 0:
        conv = {c: (conv_total * shares["conversions"].get(c, 0.0) / shares["total_conversions"]
                    if shares["total_conversions"] > 0 else 0.0) for c in channels}
        rev_share = {c: (shares["revenue"].get(c, 0.0) / shares["total_value"]
                         if shares["total_value"] > 0 else 0.0) for c in channels}
        conv_r = round_preserving_total(conv, conv_total if shares["total_conversions"] > 0 else 0.0, 4)
        rev_r = round_preserving_total({c: rev_total * s for c, s in rev_share.items()},
                                       rev_total if shares["total_value"] > 0 else 0.0)
        prof_r = round_preserving_total({c: profit_total * s for c, s in rev_share.items()},
                                        profit_total if shares["total_value"] > 0 else 0.0)
        for c in channels:
            by_channel[c] = {"conversions": conv_r.get(c, 0.0), "revenue": rev_r.get(c, 0.0),
                             "profit": prof_r.get(c, 0.0)}
    # whatever the paths cannot explain (no paths at all) stays unattributed, so totals reconcile
    credited = {f: math.fsum(v[f] for v in by_channel.values()) for f in ("conversions", "revenue", "profit")}
    left = {"conversions": conv_total - credited["conversions"], "revenue": rev_total - credited["revenue"],
            "profit": profit_total - credited["profit"]}
    if any(abs(v) > 1e-9 for v in left.values()):
        extra = by_channel.setdefault(UNATTRIBUTED, {"conversions": 0.0, "revenue": 0.0, "profit": 0.0})
        for f, v in left.items():
            extra[f] += v
    payload = _attribution_payload("data_driven", {c: {f: dec(v) for f, v in vals.items()}
                                                   for c, vals in by_channel.items()},
                                   removal_effects=shares["removal_effects"])
    payload["total_revenue"] = num(range_totals["revenue"], MONEY)
    payload["total_conversions"] = num(range_totals["conversions"], COUNT)
    return payload


def attribution(wh: Warehouse, store_id: str, window: Window, models: list[str], default_model: str,
                markov: Callable[[], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Results per model. data_driven is scaled to the window's totals of the rule models
    (credits reconcile to the orders under every model, so any of them gives the totals)."""
    rule_models = [m for m in models if m in RULE_MODELS]
    need_totals = "data_driven" in models
    query_models = set(rule_models)
    if need_totals:
        query_models |= set(RULE_MODELS)
    rows = wh.attribution(store_id, window.start, window.end, sorted(query_models)) if query_models else []
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_model[row["model"]].append(row)
    out: dict[str, dict[str, Any]] = {}
    for model in models:
        if model == "data_driven":
            basis = default_model if by_model.get(default_model) else next(
                (m for m in RULE_MODELS if by_model.get(m)), None)
            totals = {f: sum((dec(r[f]) or ZERO for r in by_model.get(basis, [])), ZERO)
                      for f in ("conversions", "revenue", "profit")}
            out[model] = _data_driven(markov(), totals)
        else:
            out[model] = _rule_result(model, by_model.get(model, []))
    return out


# ---- ROI ---------------------------------------------------------------------------------

def roi(wh: Warehouse, store_id: str, channel: str, window: Window, model: str, default_model: str,
        markov: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if model == "data_driven":
        result = attribution(wh, store_id, window, [model], default_model, markov)[model]
        revenue, profit, conversions = (dec(result[k][channel]) or ZERO
                                        for k in ("attribution", "profit", "conversions"))
    else:
        rows = [r for r in wh.attribution(store_id, window.start, window.end, [model]) if r["channel"] == channel]
        revenue, profit, conversions = (sum((dec(r[f]) or ZERO for r in rows), ZERO)
                                        for f in ("revenue", "profit", "conversions"))
    cost_rows = wh.channel_totals(store_id, window.start, window.end, [channel])
    cost = (dec(cost_rows[0]["cost"]) if cost_rows else None) or ZERO
    return {
        "channel": channel,
        "model": model,
        "revenue": num(revenue, MONEY),
        "cost": num(cost, MONEY),
        "profit": num(profit, MONEY),
        **profit_after_marketing(profit, cost),
        "conversions": num(conversions, COUNT),
        "roi": num(ratio(revenue - cost, cost, 100), RATE),
        "roas": num(ratio(revenue, cost), RATIO),
        "date_range": window.to_json(),
    }


# ---- benchmarks --------------------------------------------------------------------------

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
    rows = wh.benchmark_window(store_id, channel, industry, window.start, window.end)
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


# ---- calendar ----------------------------------------------------------------------------

def calendar(wh: Warehouse, store_id: str, window: Window, channel: str | None) -> dict[str, Any]:
    items = [
        {
            "date": row["date"].isoformat(),
            "item_type": row["item_type"],
            "item_id": str(row["item_id"]),
            "channel": row["channel"],
            "title": row["title"],
            "status": row["status"],
        }
        for row in wh.calendar(store_id, window.start, window.end, channel)
    ]
    return {"items": items, "date_range": window.to_json()}
