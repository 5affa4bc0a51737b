"""Attribution and ROI reports: each model's credits per channel (rule models summed from the marts,
``data_driven`` from the Markov removal effects of the months' paths scaled to the window's totals),
and a channel's attributed revenue and profit against its cost. JSON-ready dicts; the cached
functions at the end serve the request's store.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from insight_service.api.attribution import queries
from insight_service.api.web.context import cached, default_model, state, store_id, window_key
from insight_service.attribution.markov import TransitionCounts, markov_from_transitions, round_preserving_total
from insight_service.core.numbers import (
    COUNT,
    MONEY,
    RATE,
    RATIO,
    ZERO,
    dec,
    marketing_profit,
    num,
)
from insight_service.core.periods import Window
from insight_service.core.vocabulary import CHANNELS, MODELS, RULE_MODELS
from insight_service.core.warehouse import FALLBACK_ATTRIBUTION_MODEL, Warehouse

UNATTRIBUTED = "unattributed"
# bumped when a cached report gains fields (2: marketing_profit and poas): a response cached by the
# previous version under the same build id would lack them
ROI_SHAPE = 2


def _sum(a: Any, b: Any) -> Decimal:
    return (dec(a) or ZERO) + (dec(b) or ZERO)


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
    for row in queries.markov_transitions(wh, store_id, first, last):
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
    rows = queries.attribution(wh, store_id, window.start, window.end, sorted(query_models)) if query_models else []
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


def every_model(wh: Warehouse, store_id: str, first: dt.date, last: dt.date) -> dict[str, dict[str, Any]]:
    """What GET /attribution?model=all computes for the store over first..last (the marts'
    fallback default model for data_driven's totals): what the truth scoring reads."""
    window = Window(first, last)
    return attribution(wh, store_id, window, list(MODELS), FALLBACK_ATTRIBUTION_MODEL,
                       markov=lambda: markov_shares(wh, store_id, window))


# ---- ROI ---------------------------------------------------------------------------------

def roi(wh: Warehouse, store_id: str, channel: str, window: Window, model: str, default_model: str,
        markov: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if model == "data_driven":
        result = attribution(wh, store_id, window, [model], default_model, markov)[model]
        revenue, profit, conversions = (dec(result[k][channel]) or ZERO
                                        for k in ("attribution", "profit", "conversions"))
    else:
        rows = [r for r in queries.attribution(wh, store_id, window.start, window.end, [model])
                if r["channel"] == channel]
        revenue, profit, conversions = (sum((dec(r[f]) or ZERO for r in rows), ZERO)
                                        for f in ("revenue", "profit", "conversions"))
    spend = queries.cost_and_ratios(wh, store_id, channel, window.start, window.end, revenue, profit)
    cost = dec(spend["cost"]) or ZERO
    return {
        "channel": channel,
        "model": model,
        "revenue": num(revenue, MONEY),
        "cost": num(cost, MONEY),
        "profit": num(profit, MONEY),
        "marketing_profit": marketing_profit(profit, cost),
        "poas": num(spend["poas"], RATIO),
        "conversions": num(conversions, COUNT),
        "roi": num(spend["roi"], RATE),
        "roas": num(spend["roas"], RATIO),
        "date_range": window.to_json(),
    }


# ---- for the request's store, cached per build ----------------------------------------------

def markov_for(window: Window) -> Callable[[], dict[str, Any]]:
    """The Markov shares of the window's months, computed (and cached) only when called."""
    st = state()
    first, last = months_overlapping(window)
    return lambda: cached("markov", {"first_month": first.isoformat(), "last_month": last.isoformat()},
                          lambda: markov_shares(st.warehouse, store_id(), window))


def attribution_data(window: Window, model: str | None, raw: bool = False) -> Any:
    """``model`` (default: the build's) or ``all`` over ``window`` (JSON text when ``raw``)."""
    st = state()
    default = default_model()
    model = model or default
    models = list(MODELS) if model == "all" else [model]

    def compute() -> dict[str, Any]:
        results = attribution(st.warehouse, store_id(), window, models, default, markov_for(window))
        if model == "all":
            return {"model": "all", "models": results, "date_range": window.to_json()}
        return {**results[model], "date_range": window.to_json()}

    return cached("attribution", {**window_key(window), "model": model, "default": default}, compute, raw)


def roi_data(channel: str, window: Window, model: str | None) -> str:
    """The channel's ROI under ``model`` (default: the build's), as JSON text."""
    st = state()
    default = default_model()
    model = model or default
    return cached("roi", {**window_key(window), "channel": channel, "model": model, "default": default,
                          "shape": ROI_SHAPE},
                  lambda: roi(st.warehouse, store_id(), channel, window, model, default, markov_for(window)),
                  raw=True)
