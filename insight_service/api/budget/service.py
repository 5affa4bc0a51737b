"""``GET /budget/optimize``: marts -> ChannelHistory -> ``optimizer.optimize()`` -> response.

* History: daily ``cost`` and ``revenue`` (attributed under the marts' default model) of every
  channel rollup (``fct_unified_metrics``, period ``daily``, source ``all``; not ``overall`` nor
  ``unattributed``) over the ``lookback_days`` days ending at the store's last data date (or
  from the store's first data date when it has less history). A day without a row is 0.
* Channels without positive cost in the window (e.g. ``direct``, ``referral``, a paused
  channel) are not part of the plan: they are listed in ``excluded``.
* ``bounds`` / ``lock`` are multiples of each channel's current share (its share of the last
  30 days' spend) applied to ``total_budget``; see ``budget/schemas.py`` (BudgetQuery).
* Money is rounded to cents so that every scenario's allocation sums to ``total_budget``
  exactly (largest remainder); ``channels[].recommended_budget`` equals the recommended
  scenario's allocation.

* Curves: the refresh fits the default lookback of every changed store and stores the curves and
  their bootstrap refits (pipeline/budget_curves.py); the request then only allocates
  (:func:`plan_stored`). Another ``lookback_days``, a store not fitted yet or curves of an older
  build are fitted now, as before (:func:`make_plan`); both give the same answer, and the
  response's ``curves.source`` (header ``X-Budget-Curves``) says which ran.

Used by the route (routes.py) and by ``bench/optimizer_truth.py`` (same code path: everything
above :func:`budget_data` runs without a request).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from psycopg import sql

from insight_service.api.budget.queries import stored_curves_query
from insight_service.api.budget.schemas import BudgetQuery
from insight_service.api.web.context import cached, default_model, last_data_date, state, store_id
from insight_service.core.errors import Infeasible, InsufficientData, InvalidInput, MartsUnavailable
from insight_service.optimizer import (
    Bounds,
    ChannelHistory,
    FittedChannels,
    InfeasibleBudgetError,
    Plan,
    TargetUnreachableError,
    optimize,
    plan_fitted,
)
from insight_service.optimizer.history import CURRENT_WINDOW_DAYS
from insight_service.pipeline.budget_curves import (  # the history reads are shared with the refresh's fit
    BOOTSTRAP_SAMPLES,
    BOOTSTRAP_SEED,
    DEFAULT_LOOKBACK_DAYS,
    Fetch,
    fitted_from_rows,
    histories_from_rows,
    read_histories,
    read_last_date,
)
from insight_service.telemetry.metrics import OPTIMIZER_FIT_DURATION, OPTIMIZER_FITS

__all__ = ["BudgetRequest", "histories_from_rows", "make_plan", "optimize_store", "read_histories", "read_last_date"]

CURVES_PRECOMPUTED = "precomputed"  # the refresh's curves (pipeline/budget_curves.py): allocation only
CURVES_FITTED = "fitted"  # fitted at request time (another lookback, a store not fitted yet, a stale build)
DEFAULT_BOUNDS = Bounds()  # 0.7 .. 1.3 x current share


@dataclasses.dataclass(frozen=True)
class BudgetRequest:
    """Validated parameters (see schemas.BudgetQuery for the query-string syntax)."""

    total_budget: float | None
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    # channel -> (lower, upper) multiples of the current share; None keeps the default
    bounds: Mapping[str, tuple[float | None, float | None]] = dataclasses.field(default_factory=dict)
    lock: tuple[str, ...] = ()
    target_roas: float | None = None

    def cache_params(self) -> dict[str, Any]:
        return {
            "total_budget": self.total_budget,
            "lookback_days": self.lookback_days,
            "bounds": sorted([c, lo, hi] for c, (lo, hi) in self.bounds.items()),
            "lock": sorted(self.lock),
            "target_roas": self.target_roas,
        }


# ---- the stored curves ----------------------------------------------------------------------

def stored_fit(fetch: Fetch, app_schema: sql.Identifier, store_id: str, lookback_days: int, *,
               build_id: str | None, last_date: dt.date | None) -> tuple[FittedChannels | None, dt.date | None, str]:
    """The store's curves fitted by the refresh and the first day of their history, when they are
    of the current build, the requested lookback and the store's last data date; otherwise
    (None, None, why not)."""
    if lookback_days != DEFAULT_LOOKBACK_DAYS:
        return None, None, f"lookback_days {lookback_days} is not the precomputed {DEFAULT_LOOKBACK_DAYS}"
    if build_id is None or last_date is None:
        return None, None, "the marts have no build id or no data for this store"
    try:
        rows = fetch(stored_curves_query(app_schema), {"store": store_id, "lookback": lookback_days})
    except MartsUnavailable:  # a service on a database without migration 006: fitting still answers
        return None, None, "the stored curves' tables are missing (migration 006 not applied)"
    if not rows:
        return None, None, "no curves stored for this store yet"
    head = rows[0]
    if head["build_id"] != build_id:
        return None, None, f"the stored curves are of build {head['build_id']}, the marts are at {build_id}"
    if head["window_end"] != last_date:
        return None, None, f"the stored curves end on {head['window_end']}, the data on {last_date}"
    if head["bootstrap_samples"] != BOOTSTRAP_SAMPLES or head["bootstrap_seed"] != BOOTSTRAP_SEED:
        return None, None, "the stored bootstrap has other samples or seed"
    return fitted_from_rows(rows), head["window_start"], CURVES_PRECOMPUTED


# ---- planning --------------------------------------------------------------------------------

def _planned_channels(histories: Sequence[ChannelHistory], lookback_days: int) -> list[str]:
    """Channels optimize() keeps: positive cost somewhere in the lookback window."""
    return [h.channel for h in histories if np.any(h.spend[h.window(lookback_days)] > 0)]


def _bounds(req: BudgetRequest, planned: Sequence[str]) -> dict[str, Bounds]:
    for param, names in (("lock", req.lock), ("bounds", list(req.bounds))):
        missing = [c for c in names if c not in planned]
        if missing:
            raise InvalidInput(
                param, f"channel {missing[0]!r} is not part of the plan (no spend in the last "
                       f"{req.lookback_days} days); plan channels: {', '.join(planned)}")
    out = {c: Bounds(locked=True) for c in req.lock}
    for c, (lo, hi) in req.bounds.items():
        lower = DEFAULT_BOUNDS.lower if lo is None else float(lo)
        upper = DEFAULT_BOUNDS.upper if hi is None else float(hi)
        if lower > upper:  # e.g. bounds=ads:1.5: (upper defaults to 1.3)
            raise InvalidInput("bounds", f"{c}: lower {lower:g} is above upper {upper:g}")
        out[c] = Bounds(lower, upper)
    return out


def make_plan(histories: Sequence[ChannelHistory], req: BudgetRequest, *,
              bootstrap_samples: int = BOOTSTRAP_SAMPLES) -> Plan:
    """Run the optimizer; every expected failure becomes an InvalidInput / InsufficientData error."""
    planned = _planned_channels(histories, req.lookback_days)
    if not planned:
        raise InsufficientData(
            f"no channel has spend in the last {req.lookback_days} days: there is no budget to split",
            details={"lookback_days": req.lookback_days, "channels": [h.channel for h in histories]})
    current = sum(h.current_spend(CURRENT_WINDOW_DAYS) for h in histories if h.channel in planned)
    return _planned(req, planned, current, lambda bounds: optimize(
        histories, req.total_budget, bounds=bounds, default_bounds=DEFAULT_BOUNDS,
        lookback_days=req.lookback_days, target_marginal_roas=req.target_roas,
        bootstrap_samples=bootstrap_samples, seed=BOOTSTRAP_SEED))


def plan_stored(fitted: FittedChannels, req: BudgetRequest, *, bootstrap_samples: int = BOOTSTRAP_SAMPLES) -> Plan:
    """make_plan() on curves the refresh fitted: the same checks and errors, no fitting."""
    return _planned(req, list(fitted.names), float(fitted.current.sum()), lambda bounds: plan_fitted(
        fitted, req.total_budget, bounds=bounds, default_bounds=DEFAULT_BOUNDS, target_marginal_roas=req.target_roas,
        bootstrap_samples=bootstrap_samples, seed=BOOTSTRAP_SEED))


def _planned(req: BudgetRequest, planned: list[str], current: float, run: Callable[[dict[str, Bounds]], Plan]) -> Plan:
    if current <= 0:
        raise InsufficientData(
            f"no channel has spend in the last {CURRENT_WINDOW_DAYS} days: the current split (and the "
            "bounds, which are multiples of it) is undefined",
            details={"lookback_days": req.lookback_days, "channels": planned})
    bounds = _bounds(req, planned)
    started = time.perf_counter()
    result = "error"
    try:
        plan = run(bounds)
        result = "ok"
        return plan
    except InfeasibleBudgetError as exc:
        raise Infeasible("bounds" if req.bounds else "lock", str(exc)) from exc
    except TargetUnreachableError as exc:
        raise Infeasible("target_roas", str(exc), code="target_unreachable") from exc
    except ValueError as exc:  # the optimizer's other input checks: the data cannot be planned on
        raise InsufficientData(f"cannot plan on this store's data: {exc}",
                               details={"lookback_days": req.lookback_days, "channels": planned}) from exc
    finally:  # every fit, whatever its end (an infeasible plan is an error)
        OPTIMIZER_FITS.labels(result=result).inc()
        OPTIMIZER_FIT_DURATION.observe(time.perf_counter() - started)


# ---- response --------------------------------------------------------------------------------

def split_cents(values: Mapping[str, float], total: float,
                boxes: Mapping[str, tuple[float, float]] | None = None) -> dict[str, float]:
    """Round each value to cents so that they sum to ``total`` rounded to cents (largest remainder).

    With ``boxes`` ({key: (low, high)}), a cent is moved only where it keeps the value inside its
    box when possible (a value at its upper bound is not rounded above it).
    """
    if not values:
        return {}
    target = int(round(total * 100))
    raw = {k: max(float(v), 0.0) * 100 for k, v in values.items()}
    cents = {k: math.floor(v + 1e-9) for k, v in raw.items()}
    boxes = boxes or {}

    def fits(k: str, step: int) -> bool:
        if step < 0 and cents[k] <= 0:
            return False
        low, high = boxes.get(k, (-math.inf, math.inf))
        value = (cents[k] + step) / 100
        return low - 1e-9 <= value <= high + 1e-9

    left = target - sum(cents.values())
    step = 1 if left > 0 else -1
    # largest remainders first when adding cents, smallest first when removing
    order = sorted(raw, key=lambda k: (raw[k] - cents[k], raw[k]), reverse=step > 0)
    for strict in (True, False):
        progress = True
        while left != 0 and progress:
            progress = False
            for k in order:
                if left == 0:
                    break
                if (fits(k, step) if strict else (step > 0 or cents[k] > 0)):
                    cents[k] += step
                    left -= step
                    progress = True
    return {k: v / 100 for k, v in cents.items()}


def to_response(plan: Plan, *, lookback: tuple[dt.date, dt.date], lookback_days: int,
                req: BudgetRequest, attribution_model: str | None) -> dict[str, Any]:
    data = plan.to_dict()
    total = data["total_budget"]
    boxes = {c.channel: c.bounds for c in plan.channels}
    for name, scenario in plan.scenarios.items():
        data["scenarios"][name]["allocation"] = split_cents(
            scenario.allocation, total, boxes if name == "recommended" else None)
    recommended = data["scenarios"]["recommended"]["allocation"]
    for ch in data["channels"]:
        ch["recommended_budget"] = recommended[ch["channel"]]
    start, end = lookback
    current_start = max(start, end - dt.timedelta(days=CURRENT_WINDOW_DAYS - 1))
    data["lookback"] = {"start_date": start.isoformat(), "end_date": end.isoformat(),
                        "days": (end - start).days + 1, "requested_days": lookback_days}
    data["current_window"] = {"start_date": current_start.isoformat(), "end_date": end.isoformat()}
    data["bounds_used"] = {
        ch["channel"]: _bounds_used(ch["channel"], req) for ch in data["channels"]}
    data["attribution_model"] = attribution_model
    return data


def _bounds_used(channel: str, req: BudgetRequest) -> dict[str, Any]:
    if channel in req.lock:
        return {"lower": None, "upper": None, "locked": True}
    lo, hi = req.bounds.get(channel, (None, None))
    return {"lower": DEFAULT_BOUNDS.lower if lo is None else lo,
            "upper": DEFAULT_BOUNDS.upper if hi is None else hi, "locked": False}


def optimize_store(fetch: Fetch, marts: sql.Identifier, store_id: str, req: BudgetRequest,
                   last_date: dt.date | None, *, attribution_model: str | None = None,
                   bootstrap_samples: int = BOOTSTRAP_SAMPLES,
                   stored: FittedChannels | None = None, stored_window: tuple[dt.date, dt.date] | None = None,
                   ) -> dict[str, Any]:
    """The whole endpoint minus HTTP: read, plan, shape. With ``stored`` (the refresh's fit of the
    same history, see stored_fit), only allocate."""
    if stored is not None and stored_window is not None:
        plan = plan_stored(stored, req, bootstrap_samples=bootstrap_samples)
        return to_response(plan, lookback=stored_window, lookback_days=req.lookback_days, req=req,
                           attribution_model=attribution_model)
    if last_date is None:
        raise InsufficientData("the marts have no daily data for this store yet: nothing to optimise",
                               details={"store_has_data": False})
    histories = read_histories(fetch, marts, store_id, last_date, req.lookback_days)
    if not histories:
        raise InsufficientData(f"no channel has cost or revenue in the last {req.lookback_days} days",
                               details={"lookback_days": req.lookback_days, "channels": []})
    plan = make_plan(histories, req, bootstrap_samples=bootstrap_samples)
    start = histories[0].dates[0].astype(dt.date)
    return to_response(plan, lookback=(start, last_date), lookback_days=req.lookback_days, req=req,
                       attribution_model=attribution_model)


def budget_data(q: BudgetQuery) -> str:
    """The plan for the request's store (JSON text), cached per build and parameters. Its
    ``curves.source`` says whether the refresh's curves were used (``precomputed``) or the
    history was fitted now (``fitted``, with the reason)."""
    req = BudgetRequest(total_budget=q.total_budget, lookback_days=q.lookback_days,
                        bounds=dict(q.bounds or {}), lock=tuple(q.lock or ()), target_roas=q.target_roas)
    st = state()
    model = default_model()

    def compute() -> dict[str, Any]:
        build = st.tracker.current()
        last = last_data_date()
        fitted, start, why = stored_fit(st.warehouse.fetch, st.warehouse.a, store_id(), req.lookback_days,
                                        build_id=build.build_id if build else None, last_date=last)
        if fitted is not None and start is not None and last is not None:
            data = optimize_store(st.warehouse.fetch, st.warehouse.m, store_id(), req, last,
                                  attribution_model=model, stored=fitted, stored_window=(start, last))
        else:
            data = optimize_store(st.warehouse.fetch, st.warehouse.m, store_id(), req, last,
                                  attribution_model=model)
        data["curves"] = {"source": CURVES_PRECOMPUTED if fitted is not None else CURVES_FITTED,
                          "reason": None if fitted is not None else why}
        return data

    return cached("budget_optimize", {**req.cache_params(), "model": model}, compute, raw=True)
