"""optimize(): fit every channel, split the budget, compare with the current and naive splits.

* Fit window: the last `lookback_days` days of each history (adstock runs from the first day).
  A channel without positive cost in that window is excluded as `no_spend`.
* Current spend = cost over the last 30 days; current share = current spend / sum of them.
* Boxes: [lower * share * B, upper * share * B] (locked: share * B). Constant-ROAS fallback channels
  are further restricted to (1 +- 0.10) x share x B (intersected with their box). If that makes the
  problem infeasible, the window is widened just enough (flagged in `warnings`).
* The allocation (allocate.py) is compared with the current split scaled to B; if the current split
  is feasible and predicts more, it is returned instead (`diagnostics.fell_back_to_current`).
* Plan.marginal_roas is the revenue of the next unit of total budget when all boxes scale with the
  budget: sum over channels at a box edge of (b_i / B) * mROAS_i + (1 - their share of B) * lambda.
* Target mode (`target_marginal_roas`): budgets 3x the current total / 48 apart, from 1/48 of
  the cap up to the cap (TARGET_BUDGET_CAP = 3x current total spend), are scanned; the largest one
  with Plan.marginal_roas >= target is refined by bisection against the next grid point (relative
  precision 1e-6). `total_budget` is ignored in this mode (may be None).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .allocate import FALLBACK_WINDOW, Allocation, Bounds, InfeasibleBudgetError, allocate
from .bootstrap import bootstrap_draws, lift_intervals
from .curves import FittedCurve, fit_channel
from .history import CURRENT_WINDOW_DAYS, ChannelHistory
from .plan import ChannelPlan, Plan, Scenario

TARGET_BUDGET_CAP = 3.0
TARGET_GRID_POINTS = 48


class TargetUnreachableError(ValueError):
    """No budget up to the cap reaches the requested marginal ROAS."""


@dataclass
class _Setup:
    names: list[str]  # sorted
    fits: list[FittedCurve]
    current: np.ndarray  # last-30-day spend
    shares: np.ndarray
    lo_rel: np.ndarray  # box as a fraction of the total budget
    hi_rel: np.ndarray
    locked: np.ndarray
    avg_roas: np.ndarray
    warnings: list[str]
    window: float | None


def _check_total(total_budget) -> float:
    try:
        b = float(total_budget)
    except (TypeError, ValueError):
        raise ValueError(f"total_budget must be a finite positive number, got {total_budget!r}") from None
    if not math.isfinite(b) or b <= 0:
        raise ValueError(f"total_budget must be a finite positive number, got {total_budget!r}")
    return b


def _user_boxes(names, shares, bounds, default_bounds, warnings):
    bounds = dict(bounds or {})
    unknown = sorted(set(bounds) - set(names))
    if unknown:
        warnings.append(f"bounds given for channels not in the plan (ignored): {', '.join(unknown)}")
    lo, hi, locked, problems = [], [], [], []
    for name, share in zip(names, shares):
        bd = bounds.get(name, default_bounds)
        if isinstance(bd, Mapping):
            bd = bounds[name] = Bounds(**bd)
        if not isinstance(bd, Bounds):
            raise TypeError(f"bounds for {name!r} must be a Bounds instance")
        if bd.locked:
            lo.append(share)
            hi.append(share)
            locked.append(True)
            continue
        lower, upper = bd.lower, bd.upper
        if not (isinstance(lower, (int, float)) and isinstance(upper, (int, float))) or not (
            math.isfinite(lower) and math.isfinite(upper)
        ):
            problems.append(f"{name}: lower={lower!r}, upper={upper!r} must be finite numbers")
        elif lower < 0 or upper < 0:
            problems.append(f"{name}: lower={lower:g}, upper={upper:g} must not be negative")
        elif lower > upper:
            problems.append(f"{name}: lower={lower:g} > upper={upper:g}")
        lo.append(float(lower) * share if not problems else 0.0)
        hi.append(float(upper) * share if not problems else 0.0)
        locked.append(False)
    if problems:
        raise InfeasibleBudgetError("invalid bounds: " + "; ".join(problems))
    lo, hi, locked = np.array(lo), np.array(hi), np.array(locked)

    def describe(vals, which):
        parts = []
        for name, share, lk, v in zip(names, shares, locked, vals):
            bd = bounds.get(name, default_bounds)
            mult = "locked" if lk else f"{which}={getattr(bd, which):g}"
            parts.append(f"{name} ({mult} x {100 * share:.1f}% share = {100 * v:.1f}%)")
        return ", ".join(parts)

    if lo.sum() > 1.0 + 1e-9:
        raise InfeasibleBudgetError(
            f"infeasible bounds: lower bounds add up to {100 * lo.sum():.1f}% of total_budget (> 100%): "
            + describe(lo, "lower")
        )
    if hi.sum() < 1.0 - 1e-9:
        raise InfeasibleBudgetError(
            f"infeasible bounds: upper bounds add up to {100 * hi.sum():.1f}% of total_budget (< 100%): "
            + describe(hi, "upper")
        )
    return lo, hi, locked


def _fallback_boxes(fits, shares, lo, hi, locked, warnings):
    """Restrict constant-ROAS channels to (1 +- w) x share, w = 0.10 or the smallest feasible."""
    fb = np.array([f.kind == "constant_roas" and not lk for f, lk in zip(fits, locked)])
    if not fb.any():
        return lo, hi, None

    def boxes(w):
        l2 = np.where(fb, np.maximum(lo, np.minimum((1 - w) * shares, hi)), lo)
        h2 = np.where(fb, np.minimum(hi, np.maximum((1 + w) * shares, lo)), hi)
        return l2, h2

    def feasible(w):
        l2, h2 = boxes(w)
        return l2.sum() <= 1.0 + 1e-12 and h2.sum() >= 1.0 - 1e-12

    w = FALLBACK_WINDOW
    if not feasible(w):
        a, b = w, 2.0
        while not feasible(b):
            b *= 2.0
            if b > 1e9:
                break
        for _ in range(100):
            mid = 0.5 * (a + b)
            if feasible(mid):
                b = mid
            else:
                a = mid
        w = b
        warnings.append(
            f"constant-ROAS channels had to move beyond +-{100 * FALLBACK_WINDOW:.0f}% of their share to fit "
            f"the bounds; window widened to +-{100 * w:.1f}%"
        )
    l2, h2 = boxes(w)
    return l2, h2, w


@dataclass
class FittedChannels:
    """Everything a plan needs from the history, fitted once: the plan channels' curves (sorted by
    name), their last-30-day spend and average ROAS over the lookback, the channels without spend,
    and optionally the bootstrap draws (bootstrap.bootstrap_draws) of each curve. The refresh stores
    it per store (pipeline/budget_curves.py); :func:`plan_fitted` allocates on it."""

    names: list[str]
    fits: list[FittedCurve]
    current: np.ndarray
    avg_roas: np.ndarray
    excluded: list[dict[str, str]]
    order: list[str]  # the plan channels in the order of the histories given (scenario order)
    lookback_days: int
    holdout_days: int
    draws: dict[str, np.ndarray | None] | None = None  # None: refit at plan time
    draws_samples: int = 0
    draws_seed: int = 0

    def with_draws(self, samples: int, seed: int) -> FittedChannels:
        self.draws = {f.channel: bootstrap_draws(f, samples, seed) for f in self.fits}
        self.draws_samples, self.draws_seed = int(samples), int(seed)
        return self


def fit_channels(histories: Sequence[ChannelHistory], lookback_days: int = 90,
                 holdout_days: int = 14) -> FittedChannels:
    """Fit every channel with spend in the lookback window (the expensive half of optimize())."""
    if not histories:
        raise ValueError("histories is empty")
    if int(lookback_days) != lookback_days or lookback_days < 1:
        raise ValueError("lookback_days must be a positive integer")
    by_name: dict[str, ChannelHistory] = {}
    for h in histories:
        if not isinstance(h, ChannelHistory):
            raise TypeError("histories must be ChannelHistory instances")
        if h.channel in by_name:
            raise ValueError(f"duplicate channel {h.channel!r}")
        by_name[h.channel] = h
    excluded, names, fits, current, avg_roas = [], [], [], [], []
    for name in sorted(by_name):
        h = by_name[name]
        win = h.window(int(lookback_days))
        if not np.any(h.spend[win] > 0):
            excluded.append(
                {"channel": name, "reason": "no_spend",
                 "detail": f"no positive cost in the last {win.stop - win.start} days"}
            )
            continue
        fit = fit_channel(h, holdout_days=holdout_days, fit_days=int(lookback_days))
        names.append(name)
        fits.append(fit)
        current.append(h.current_spend(CURRENT_WINDOW_DAYS))
        avg_roas.append(max(float(h.revenue[win].sum() / h.spend[win].sum()), 0.0))
    if not names:
        raise ValueError("no channel has spend in the lookback window: nothing to allocate")
    order = [h.channel for h in histories if h.channel in names]
    return FittedChannels(names, fits, np.array(current), np.array(avg_roas), excluded, order,
                          int(lookback_days), int(holdout_days))


def _setup(fitted: FittedChannels, bounds, default_bounds):
    names, fits, current = fitted.names, fitted.fits, fitted.current
    warnings: list[str] = []
    if current.sum() <= 0:
        raise ValueError(
            f"no channel has spend in the last {CURRENT_WINDOW_DAYS} days: current shares (and bounds) are undefined"
        )
    shares = current / current.sum()
    lo, hi, locked = _user_boxes(names, shares, bounds, default_bounds, warnings)
    lo, hi, window = _fallback_boxes(fits, shares, lo, hi, locked, warnings)
    fb = [n for n, f in zip(names, fits) if f.fallback_used]
    if fb:
        warnings.append(
            "constant-ROAS fallback (curvature unknown, budget kept near the current share): "
            + ", ".join(f"{n} ({f.fallback_reason.split(':')[0]})" for n, f in zip(names, fits) if f.fallback_used)
        )
    return _Setup(names, fits, current, shares, lo, hi, locked, fitted.avg_roas, warnings, window)


@dataclass
class _Solved:
    total: float
    alloc: Allocation
    budgets: np.ndarray
    current_split: np.ndarray
    fell_back: bool
    marginal: float | None


def _solve(st: _Setup, total: float) -> _Solved:
    lo, hi = st.lo_rel * total, st.hi_rel * total
    alloc = allocate(st.fits, lo, hi, total)
    cur = st.shares * total
    tol = 1e-9 * total
    cur_feasible = bool(np.all(cur >= lo - tol) and np.all(cur <= hi + tol))
    cur_rev = sum(float(f.predict_monthly(b)) for f, b in zip(st.fits, cur))
    budgets, fell_back = alloc.budgets, False
    if cur_feasible and cur_rev > alloc.predicted_revenue + 1e-12 * abs(cur_rev):
        budgets, fell_back = cur, True
    return _Solved(total, alloc, budgets, cur, fell_back, _plan_marginal(st, alloc, budgets, total, fell_back))


def _plan_marginal(st, alloc, budgets, total, fell_back) -> float | None:
    marg = np.array([float(f.marginal_roas(b)) for f, b in zip(st.fits, budgets)])
    w = budgets / total
    # a channel with no budget (a box of [0, 0]) has weight 0: its marginal ROAS (infinite at 0
    # for shape < 1) does not count, and 0 * inf must not make the sum NaN
    wm = np.where(w > 0, w * np.where(np.isfinite(marg), marg, 0.0), 0.0)
    if fell_back:
        return float(np.sum(wm))
    free = alloc.free
    edge_weight = float(w[~free].sum())
    value = float(np.sum(wm[~free]))
    if free.any():
        value += (1.0 - edge_weight) * float(np.mean(marg[free]))
    return value


def _bound_hit(b, lo, hi, locked, total) -> str | None:
    if locked:
        return "locked"
    tol = 1e-7 * total
    if b <= lo + tol:
        return "lower"
    if b >= hi - tol:
        return "upper"
    return None


def _target_search(st: _Setup, target: float) -> tuple[_Solved, list[str]]:
    notes = []
    cap = TARGET_BUDGET_CAP * float(st.current.sum())
    grid = cap * np.arange(1, TARGET_GRID_POINTS + 1) / TARGET_GRID_POINTS
    solved = [_solve(st, float(b)) for b in grid]
    ok = [s.marginal is not None and s.marginal >= target for s in solved]
    if not any(ok):
        best = max((s.marginal or 0.0) for s in solved)
        raise TargetUnreachableError(
            f"target_marginal_roas={target:g} is not reached by any budget up to {cap:.2f} "
            f"({TARGET_BUDGET_CAP:g}x current spend); the highest marginal ROAS found is {best:.4f}"
        )
    k = max(i for i, v in enumerate(ok) if v)
    if k == len(grid) - 1:
        notes.append(
            f"target marginal ROAS still met at the cap ({TARGET_BUDGET_CAP:g}x current total spend); budget capped"
        )
        return solved[k], notes
    a, b = solved[k], solved[k + 1]
    for _ in range(60):
        if (b.total - a.total) <= 1e-6 * b.total:
            break
        mid = _solve(st, 0.5 * (a.total + b.total))
        if mid.marginal is not None and mid.marginal >= target:
            a = mid
        else:
            b = mid
    return a, notes


def _proportional(st: _Setup, total: float) -> np.ndarray:
    r = st.avg_roas
    if r.sum() <= 0:
        return st.shares * total
    return total * r / r.sum()


def _scenario(names, fits, budgets) -> Scenario:
    alloc = {n: float(b) for n, b in zip(names, budgets)}
    return Scenario(alloc, float(sum(float(f.predict_monthly(b)) for f, b in zip(fits, budgets))))


def optimize(
    histories: Sequence[ChannelHistory],
    total_budget: float | None,
    *,
    bounds: dict[str, Bounds] | None = None,
    default_bounds: Bounds | None = None,
    lookback_days: int = 90,
    target_marginal_roas: float | None = None,
    bootstrap_samples: int = 200,
    seed: int = 0,
    holdout_days: int = 14,
) -> Plan:
    """Recommend next month's budget split (see module docstring): fit_channels() + plan_fitted()."""
    _check_plan_args(total_budget, target_marginal_roas, bootstrap_samples)
    fitted = fit_channels(histories, lookback_days, holdout_days)
    return plan_fitted(fitted, total_budget, bounds=bounds, default_bounds=default_bounds,
                       target_marginal_roas=target_marginal_roas, bootstrap_samples=bootstrap_samples, seed=seed)


def _check_plan_args(total_budget, target_marginal_roas, bootstrap_samples) -> float | None:
    total = None
    if target_marginal_roas is None:
        total = _check_total(total_budget)
    else:
        t = target_marginal_roas
        if not isinstance(t, (int, float)) or not math.isfinite(t) or t <= 0:
            raise ValueError(f"target_marginal_roas must be a finite positive number, got {t!r}")
        if total_budget is not None:
            _check_total(total_budget)
    if int(bootstrap_samples) != bootstrap_samples or bootstrap_samples < 0:
        raise ValueError("bootstrap_samples must be a non-negative integer")
    return total


def plan_fitted(
    fitted: FittedChannels,
    total_budget: float | None,
    *,
    bounds: dict[str, Bounds] | None = None,
    default_bounds: Bounds | None = None,
    target_marginal_roas: float | None = None,
    bootstrap_samples: int = 200,
    seed: int = 0,
) -> Plan:
    """Allocate on curves fitted before (milliseconds): the cheap half of optimize(). The lift
    intervals come from `fitted.draws` when they were drawn with the same samples and seed."""
    total = _check_plan_args(total_budget, target_marginal_roas, bootstrap_samples)
    lookback_days, holdout_days, excluded = fitted.lookback_days, fitted.holdout_days, fitted.excluded
    st = _setup(fitted, bounds, default_bounds or Bounds())
    warnings = list(st.warnings)
    if target_marginal_roas is None:
        mode = "fixed_budget"
        solved = _solve(st, total)
    else:
        mode = "target_marginal_roas"
        solved, notes = _target_search(st, float(target_marginal_roas))
        warnings.extend(notes)
        total = solved.total
    if solved.fell_back:
        warnings.append("the optimiser's plan predicted less than the current split; returning the current split")
    elif solved.alloc.kkt_max_rel_diff > 1e-3:
        warnings.append(
            f"KKT check: marginal ROAS of channels inside their bounds differ by "
            f"{100 * solved.alloc.kkt_max_rel_diff:.2f}% (S-shaped curves)"
        )

    budgets, cur = solved.budgets, solved.current_split
    lo, hi = st.lo_rel * total, st.hi_rel * total
    same_draws = (fitted.draws is not None and fitted.draws_samples == int(bootstrap_samples)
                  and fitted.draws_seed == int(seed))
    iv = lift_intervals(st.fits, list(budgets), list(cur), int(bootstrap_samples), seed,
                        draws=fitted.draws if same_draws else None)
    plans: dict[str, ChannelPlan] = {}
    for i, (name, fit) in enumerate(zip(st.names, st.fits)):
        b, c_now = float(budgets[i]), float(st.current[i])
        pred = float(fit.predict_monthly(b))
        plans[name] = ChannelPlan(
            channel=name,
            current_spend=c_now,
            recommended_budget=b,
            change_pct=None if c_now <= 0 else 100.0 * (b - c_now) / c_now,
            predicted_revenue=pred,
            roas=None if b <= 0 else pred / b,
            marginal_roas_current=float(fit.marginal_roas(c_now)),
            marginal_roas_recommended=float(fit.marginal_roas(b)),
            bound_hit=_bound_hit(b, lo[i], hi[i], bool(st.locked[i]), total),
            fit=fit.summary(),
            lift_interval=iv.channels[name] if bootstrap_samples > 0 else None,
            predicted_lift=pred - float(fit.predict_monthly(float(cur[i]))),
            bounds=(float(lo[i]), float(hi[i])),
        )
    order = [n for n in fitted.order if n in plans]
    pos = [st.names.index(n) for n in order]
    fits_o = [st.fits[i] for i in pos]
    scenarios = {
        "current": _scenario(order, fits_o, cur[pos]),
        "proportional_roas": _scenario(order, fits_o, _proportional(st, total)[pos]),
        "recommended": _scenario(order, fits_o, budgets[pos]),
    }
    alloc = solved.alloc
    diagnostics = {
        "method": "current_split" if solved.fell_back else alloc.method,
        "fell_back_to_current": solved.fell_back,
        "lambda": alloc.lam,
        "kkt_max_rel_diff": alloc.kkt_max_rel_diff,
        "optimality_gap_revenue": max(alloc.upper_bound_revenue - scenarios["recommended"].predicted_revenue, 0.0),
        "bootstrap_samples": int(bootstrap_samples),
        "lookback_days": int(lookback_days),
        "holdout_days": int(holdout_days),
        "fallback_window": st.window,
        "current_total_spend": float(st.current.sum()),
    }
    if target_marginal_roas is not None and total_budget is not None:
        diagnostics["requested_total_budget"] = float(total_budget)
    return Plan(
        total_budget=float(total),
        mode=mode,
        channels=[plans[n] for n in order],
        scenarios=scenarios,
        excluded=excluded,
        predicted_lift=scenarios["recommended"].predicted_revenue - scenarios["current"].predicted_revenue,
        lift_interval=iv.total if bootstrap_samples > 0 else None,
        marginal_roas=solved.marginal,
        target_marginal_roas=None if target_marginal_roas is None else float(target_marginal_roas),
        warnings=warnings,
        diagnostics=diagnostics,
    )
