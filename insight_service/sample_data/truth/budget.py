"""Score splits of a budget on known (e.g. the sample generator's true) response curves.

Shared by the truth benchmark (bench/optimizer_truth.py) and its test, so both measure regret
the same way: regret = 1 - true revenue of the plan / true revenue of the best split within
the same bounds, found by the optimizer's own allocator on the true curves.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from insight_service.optimizer.allocate import Bounds, allocate
from insight_service.optimizer.curves import FittedCurve
from insight_service.optimizer.plan import Plan
from insight_service.optimizer.response import ResponseCurve


def true_revenue(truth: Mapping[str, ResponseCurve], allocation: Mapping[str, float]) -> float:
    """30-day steady-state revenue of an allocation; channels without a true curve earn nothing."""
    return float(sum(truth[c].steady_state_revenue(b) for c, b in allocation.items() if c in truth))


def _best_split(truth: Mapping[str, ResponseCurve], plan: Plan, lo, hi) -> dict[str, float]:
    names = [c.channel for c in plan.channels]
    curves = [FittedCurve.from_response_curve(truth[n]) if n in truth else FittedCurve.constant(n, 0.0)
              for n in names]
    best = allocate(curves, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float), plan.total_budget)
    return dict(zip(names, (float(b) for b in best.budgets)))


def true_optimum(truth: Mapping[str, ResponseCurve], plan: Plan, bounds: Bounds | None = None) -> dict[str, float]:
    """Best split on the true curves with the user's bounds (default `Bounds()`; not the optimizer's
    fallback window)."""
    bounds = Bounds() if bounds is None else bounds
    cur = np.array([c.current_spend for c in plan.channels])
    share = cur / cur.sum()
    return _best_split(truth, plan, bounds.lower * share * plan.total_budget, bounds.upper * share * plan.total_budget)


def true_boxed_optimum(truth: Mapping[str, ResponseCurve], plan: Plan) -> dict[str, float]:
    """Best split on the true curves within the boxes the optimizer itself used (its bounds after
    the +-10 % window of constant-ROAS fallback channels): what perfect curves would give
    under the same fallback rules."""
    return _best_split(truth, plan, [c.bounds[0] for c in plan.channels], [c.bounds[1] for c in plan.channels])


def relative_regret(revenue: float, optimum: float) -> float:
    """1 - revenue / the optimum's revenue (0 when the optimum earns nothing)."""
    return 1.0 - revenue / optimum if optimum > 0 else 0.0
