"""Split a budget across channels to maximise predicted revenue within per-channel boxes.

Problem:  max sum_i r_i(b_i)  s.t.  sum_i b_i = B,  lo_i <= b_i <= hi_i.

Method (exact for concave curves):

1. Each curve r_i is replaced by its concave envelope on [lo_i, hi_i]. Concave curves are their
   own envelope. An S-shaped Hill curve (shape > 1, marginal ROAS rising up to
   `inflection_budget`) whose box starts below the inflection gets a straight segment from lo_i
   to the tangent point t_i (where r_i'(t) = (r_i(t) - r_i(lo)) / (t - lo)), or the chord
   lo_i..hi_i when the tangent point lies beyond hi_i.
2. KKT for the concave problem: a channel strictly inside its box has envelope marginal ROAS equal
   to the Lagrange multiplier lambda. Each channel's demand D_i(lambda) (lo_i if lambda is above its
   envelope slope at lo_i, hi_i if its marginal ROAS at hi_i is still >= lambda, else the root of
   r_i'(b) = lambda on the concave branch) is non-increasing; lambda is found by Brent's method on
   log(lambda) so that sum D_i = B. Channels on a flat segment (constant ROAS, or an S-curve's
   chord) at lambda* share the remainder: budgets are interpolated between D(lambda*(1+eps)) and
   D(lambda*(1-eps)), which makes the sum exact.
3. S-curves: the envelope optimum is an upper bound on the true optimum. A channel left strictly
   inside a chord segment is re-solved at both ends of the segment (the others re-allocated), and
   the best true-revenue candidate is polished with SLSQP on the true curves (accepted only if it
   improves and stays feasible). `Allocation.upper_bound_revenue - predicted_revenue` is a
   certificate of how far from the global optimum the answer can be.

Curves are any objects with `predict_monthly(b)`, `marginal_roas(b)` and optionally
`inflection_budget` (0 / missing = concave).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize

FALLBACK_WINDOW = 0.10  # constant-ROAS channels move within (1 +- 0.10) x current share x budget


class InfeasibleBudgetError(ValueError):
    """The budget cannot be split within the requested bounds."""


@dataclass
class Bounds:
    """Per channel, as multiples of the channel's current share of the budget."""

    lower: float = 0.7
    upper: float = 1.3
    locked: bool = False  # budget = current share * total_budget exactly


@dataclass
class Allocation:
    budgets: np.ndarray
    predicted_revenue: float
    marginal_roas: np.ndarray
    lam: float | None  # Lagrange multiplier (common marginal ROAS of channels inside their box)
    free: np.ndarray  # bool: strictly inside the box
    upper_bound_revenue: float  # optimum of the concave-envelope problem (>= true optimum)
    kkt_max_rel_diff: float  # max relative spread of marginal ROAS among free channels
    method: str


def _tol(total: float) -> float:
    return 1e-10 * max(abs(total), 1e-300)


class _Channel:
    def __init__(self, curve, lo: float, hi: float, total: float):
        self.curve, self.lo, self.hi = curve, float(lo), float(hi)
        self.fixed = self.hi - self.lo <= _tol(total)
        self.infl = float(getattr(curve, "inflection_budget", 0.0) or 0.0)
        self.nonconcave = (not self.fixed) and self.lo < self.infl
        self.chord = False
        self.t = self.lo
        if self.fixed:
            self.tau = math.inf
        elif not self.nonconcave:
            self.tau = self.r1(self.lo)
        else:
            r_lo = self.r(self.lo)

            def psi(b):
                return self.r1(b) * (b - self.lo) - (self.r(b) - r_lo)

            if psi(self.hi) >= 0.0:
                self.chord, self.t = True, self.hi
                self.tau = (self.r(self.hi) - r_lo) / (self.hi - self.lo)
            else:
                a = max(self.infl, self.lo)
                self.t = brentq(psi, a, self.hi, xtol=1e-13 * self.hi, rtol=1e-14) if psi(a) > 0 else a
                self.tau = self.r1(self.t)

    def r(self, b: float) -> float:
        return float(self.curve.predict_monthly(b))

    def r1(self, b: float) -> float:
        return float(self.curve.marginal_roas(b))

    def hull(self, b: float) -> float:
        if self.nonconcave and b < self.t:
            return self.r(self.lo) + self.tau * (b - self.lo)
        return self.r(b)

    def demand(self, lam: float) -> float:
        if self.fixed or lam > self.tau:
            return self.lo
        if self.chord:
            return self.hi
        if self.r1(self.hi) >= lam:
            return self.hi
        a = self.t
        if not math.isfinite(self.r1(a)):
            a = self.lo + 1e-12 * (self.hi - self.lo)
        if self.r1(a) <= lam:
            return a
        return brentq(lambda b: self.r1(b) - lam, a, self.hi, xtol=1e-13 * self.hi, rtol=1e-14)


def _solve_envelope(chans: list[_Channel], total: float) -> tuple[np.ndarray, float | None]:
    lo = np.array([c.lo for c in chans])
    hi = np.array([c.hi for c in chans])
    tol = _tol(total)
    if total - lo.sum() <= tol:
        return lo.copy(), None
    if hi.sum() - total <= tol:
        return hi.copy(), None

    def D(lam: float) -> np.ndarray:
        return np.array([c.demand(lam) for c in chans])

    movable = [c for c in chans if not c.fixed]
    slopes = [v for c in movable for v in (c.tau, c.r1(c.hi)) if math.isfinite(v) and v > 0]
    lam_hi = 2.0 * max(slopes) if slopes else 1.0
    for _ in range(400):
        if D(lam_hi).sum() <= total:
            break
        lam_hi *= 4.0
    lam_lo = 0.5 * min(slopes) if slopes else lam_hi / 4.0
    for _ in range(400):
        if D(lam_lo).sum() >= total or lam_lo < 1e-300:
            break
        lam_lo /= 4.0
    s_lo = D(lam_lo).sum()
    if s_lo < total:  # channels with zero marginal ROAS absorb the rest
        b = D(lam_lo)
        room = hi - b
        return b + (total - s_lo) * room / room.sum(), None

    def f(u: float) -> float:
        return D(math.exp(u)).sum() - total

    u_lo, u_hi = math.log(lam_lo), math.log(lam_hi)
    u = u_hi if f(u_hi) == 0.0 else brentq(f, u_lo, u_hi, xtol=1e-14, rtol=1e-15, maxiter=500)
    eps = 1e-10
    # make sure [u-eps, u+eps] brackets the target (bisection fallback)
    a, b_ = u - eps, u + eps
    if f(a) < 0 or f(b_) > 0:
        a, b_ = u_lo, u_hi
        for _ in range(200):
            mid = 0.5 * (a + b_)
            if f(mid) >= 0:
                a = mid
            else:
                b_ = mid
            if b_ - a < 2 * eps:
                break
    b_small, b_big = D(math.exp(b_)), D(math.exp(a))  # sums <= total, >= total
    s_small, s_big = b_small.sum(), b_big.sum()
    alpha = 0.0 if s_big - s_small <= 0 else (total - s_small) / (s_big - s_small)
    budgets = b_small + alpha * (b_big - b_small)
    return _fix_sum(budgets, lo, hi, total), math.exp(0.5 * (a + b_))


def _fix_sum(b: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """Remove rounding drift so that sum(b) == total within the box."""
    b = np.clip(b, lo, hi)
    for _ in range(3):
        gap = total - b.sum()
        if gap == 0:
            break
        room = (hi - b) if gap > 0 else (b - lo)
        if room.sum() <= 0:
            break
        b = np.clip(b + gap * room / room.sum(), lo, hi)
    return b


def _revenue(chans, b) -> float:
    return float(sum(c.r(x) for c, x in zip(chans, b)))


def allocate(curves: Sequence, low, high, total: float) -> Allocation:
    """Maximise sum predict_monthly(b_i) with sum b_i = total and low <= b <= high."""
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    n = len(curves)
    if low.shape != (n,) or high.shape != (n,):
        raise ValueError("low/high must have one value per curve")
    if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))) or np.any(low < 0) or np.any(low > high):
        raise InfeasibleBudgetError("each box must satisfy 0 <= low <= high")
    tol = 1e-9 * max(total, 1e-300)
    if low.sum() > total + tol or high.sum() < total - tol:
        raise InfeasibleBudgetError(f"boxes sum to [{low.sum():.6g}, {high.sum():.6g}], budget {total:.6g}")
    chans = [_Channel(c, lo, hi, total) for c, lo, hi in zip(curves, low, high)]
    b, lam = _solve_envelope(chans, total)
    upper = float(sum(c.hull(x) for c, x in zip(chans, b)))
    best, best_rev, method = b, _revenue(chans, b), "kkt_bisection"

    if any(c.nonconcave for c in chans):
        # channels left inside a chord segment: try both ends of the segment
        for j, c in enumerate(chans):
            if not (c.nonconcave and c.lo + tol < b[j] < c.t - tol):
                continue
            for end in (c.lo, c.t):
                rest = total - end
                others = [k for k in range(n) if k != j]
                if not others:
                    continue
                if low[others].sum() - tol > rest or high[others].sum() + tol < rest:
                    continue
                sub, _ = _solve_envelope([chans[k] for k in others], rest)
                cand = np.empty(n)
                cand[j], cand[others] = end, sub
                rev = _revenue(chans, cand)
                if rev > best_rev:
                    best, best_rev, method = cand, rev, "kkt_bisection+segment_ends"
        polished = _polish(chans, best, low, high, total)
        if polished is not None:
            rev = _revenue(chans, polished)
            if rev > best_rev * (1 + 1e-12):
                best, best_rev, method = polished, rev, method + "+slsqp"
        upper = max(upper, best_rev)

    marg = np.array([c.r1(x) for c, x in zip(chans, best)])
    span = np.maximum(high - low, 0)
    free = (best > low + 1e-7 * span + tol) & (best < high - 1e-7 * span - tol)
    fm = marg[free]
    kkt = float((fm.max() - fm.min()) / fm.max()) if fm.size > 1 and fm.max() > 0 else 0.0
    lam_out = float(np.mean(fm)) if fm.size else lam
    return Allocation(best, best_rev, marg, lam_out, free, upper, kkt, method)


def _polish(chans, x0, low, high, total):
    scale = total
    sr = max(abs(_revenue(chans, x0)), 1e-300)

    def obj(z):
        return -_revenue(chans, z * scale) / sr

    def grad(z):
        g = np.array([c.r1(v * scale) for c, v in zip(chans, z)])
        return -np.nan_to_num(g, posinf=1e12) * scale / sr

    try:
        res = minimize(
            obj, x0 / scale, jac=grad, method="SLSQP",
            bounds=list(zip(low / scale, high / scale)),
            constraints=[{"type": "eq", "fun": lambda z: z.sum() - 1.0, "jac": lambda z: np.ones_like(z)}],
            options={"maxiter": 200, "ftol": 1e-14},
        )
    except (ValueError, FloatingPointError):
        return None
    if not np.all(np.isfinite(res.x)):
        return None
    z = _fix_sum(np.clip(res.x * scale, low, high), low, high, total)
    if abs(z.sum() - total) > 1e-9 * total:
        return None
    return z
