"""Fit one channel's response curve: Hill on geometric adstock, or a constant-ROAS fallback.

Model (same functional form as `response.ResponseCurve`):

    adstock[t] = spend[t] + carryover * adstock[t-1]          (zero state before the history)
    revenue[t] = beta * adstock[t]**shape / (adstock[t]**shape + half_saturation**shape)

Fitting rules (numbers are module constants below):

* Fit window: the last `fit_days` days of the history (all of it when None); adstock runs from the
  first day of the history so the window starts with its real carry-over. Before the first day
  the adstock is assumed at the steady state of the first 14 days' mean spend (spend rarely starts
  on the day the history does; the sample generator also burns in at the opening level).
* Parameters are searched in a data-relative space: carryover in [0, 0.8] (lumpy channels: [0,
  0.95], see below), shape in [0.5, 3],
  half_saturation = k * mean adstocked spend of the fit days with k in [0.1, 10], and
  beta = r * mean revenue * (1 + k**shape) with r in [0.1, 10] (r = predicted revenue at the mean
  adstock over the mean revenue, so beta is bounded relative to the data).  Scale-free: multiplying
  cost and revenue by 1000 gives the same relative parameters.
* Starts: a deterministic grid (9 carryovers x 6 shapes x 9 k, beta by closed-form least squares)
  ranks candidates; the best 3 are refined with `scipy.optimize.least_squares` (trf, loss soft_l1,
  f_scale 1.5 on residuals standardised by 1.4826 * MAD of a constant-ROAS fit's residuals).
* MAP with weakly informative priors (second stage): the residual scale is re-estimated from the
  first-stage Hill fit (1.4826 * MAD x sqrt(m / (m - 4))) and the fit is repeated with three prior
  terms appended to the standardised residuals: log k ~ N(0, 0.8) (half saturation around the mean
  adstocked spend, 0.2x-5x at 2 sd), log shape ~ N(log 1.3, 0.35) (0.65-2.6), log r ~ N(0, 1). On
  precise data they weigh nothing; on a quarter of Poisson-noisy revenue (1-3 attributed orders
  per channel and day) they keep an unidentified curvature near "half saturated at today's
  level" instead of letting noise pick a bound.
* Lumpy cost (fewer than 28 days with spend, but >= 4 of them spread over >= 56 days: article
  fees, creator fees, per-send billing, subscriptions): fitted weekly whenever 8 training weeks
  exist, carryover up to 0.95 (a payment's effect can outlive it by weeks), opening adstock at
  the window's mean daily spend (the first 14 days of a lumpy series say little).
* Daily vs weekly: fit on daily data; if the daily fit is too noisy - robust residual scale
  (1.4826 * MAD of the daily residuals on the training days) above 0.5x the mean daily revenue, or
  no fit at all - and at least 8 full training weeks exist (and holdout_days is 0 or >= 7), refit on
  weekly sums (the model stays daily; its predictions are summed per 7-day block aligned to the
  end of the window). Low R^2 alone is not used: a saturated channel has little signal variance
  and a low R^2 even when the curve is right. Weekly sums make skewed low-count daily noise
  (Poisson orders) closer to symmetric, which the robust loss needs to stay unbiased.
* Holdout (rolling origin, HOLDOUT_WINDOWS = 3 windows): window k (k = 0, 1, 2) holds out the
  `holdout_days` days ending k windows before the end; the saturating curve and a straight line
  through the origin on adstocked spend (revenue = rho * adstock, carryover by grid, rho by least
  squares) are fitted on the days before it. Windows are used while the training part keeps
  >= MIN_TRAIN_DAYS days and >= MIN_TRAIN_SPEND_DAYS days with spend (lumpy: >= 4) and, weekly,
  >= 8 training weeks (window 0 always). The curve is rejected for the line only when the line is
  *clearly* better on the pooled windows, which needs >= 8 pooled holdout periods (fewer, e.g. the
  4 weekly points of a lumpy channel, cannot tell a curve from noise): pooled WAPE (sum |error| /
  sum |revenue|) at most half the curve's, or lower by more than 2.5 standard errors of the paired
  per-period differences of absolute errors. A tie within the noise keeps the prior-regularised
  curve: a constant ROAS held near the current share is not a safer bet (its average ROAS is
  taken as the marginal one, which overstates a saturated channel). The curve is then
  refitted on the whole window. `holdout_error` is the pooled WAPE of the kept model (if the
  windows have no revenue at all, the error is divided by the mean training revenue per period
  instead).
* Fallback to constant ROAS (= sum revenue / sum spend over the fit window), flagged with a
  reason code `code: detail`:
    no_spend     no positive cost in the window (optimize() excludes such channels)
    no_revenue   revenue sums to <= 0
    thin_data    < 20 days with attributed revenue (a handful of orders), < 28 days with spend
                 and not lumpy (e.g. a channel that started < 56 days ago),
                 < 28 training days before the holdout, or < 21 training days with spend
                 (lumpy: < 4)
    flat_spend   coefficient of variation of daily spend < 0.05 (curvature is invisible)
    holdout      the constant-ROAS line was clearly better on the holdout (see above)
    fit_failed   least_squares failed from every start (not expected in practice)
  The allocator moves a constant-ROAS channel only within 0.9-1.1x its current share
  (see allocate.FALLBACK_WINDOW) because its curvature is unknown.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import least_squares
from scipy.signal import lfilter

from .history import ChannelHistory
from .response import DAYS_PER_MONTH, ResponseCurve

CARRYOVER_BOUNDS = (0.0, 0.8)
LUMPY_CARRYOVER_MAX = 0.95  # lumpy channels: a payment's effect may outlive it by weeks
SHAPE_BOUNDS = (0.5, 3.0)
HALF_SAT_REL_BOUNDS = (0.1, 10.0)  # x mean adstocked spend over the fit days
SCALE_REL_BOUNDS = (0.1, 10.0)  # predicted revenue at mean adstock / mean revenue
MIN_SPEND_DAYS = 28
MIN_TRAIN_DAYS = 28
MIN_TRAIN_SPEND_DAYS = 21
MIN_SPEND_CV = 0.05
WEEKLY_NOISE_THRESHOLD = 0.5  # robust residual scale / mean daily revenue
MIN_WEEKS_FOR_WEEKLY = 8
N_STARTS = 3
SOFT_L1_SCALE = 1.5
INIT_DAYS = 14  # opening adstock state = mean spend of the first 14 days / (1 - carryover)
HOLDOUT_WINDOWS = 3  # rolling-origin holdout windows of holdout_days each (as many as the data allow)
HOLDOUT_SIGNIFICANCE = 2.5  # the line must beat the curve by this many standard errors (or halve its error)
MIN_HOLDOUT_PERIODS = 8  # ... and either rule needs at least 8 pooled holdout periods
# lumpy cost (booked on few days: subscriptions, article fees, creator fees)
MIN_LUMPY_SPEND_DAYS = 4
MIN_REVENUE_DAYS = 20  # fewer days with attributed revenue: a handful of orders, no visible curve
MIN_LUMPY_SPAN_DAYS = 56  # days from the first day with spend to the end of the window
# weakly informative priors (MAP): each adds ((value - centre) / sd)**2 / 2 to the objective, in
# the same units as the standardised residuals
PRIOR_LOG_K = (0.0, 0.8)  # half saturation / mean adstocked spend: lognormal around 1 (0.2x..5x)
PRIOR_LOG_SHAPE = (math.log(1.3), 0.35)  # Hill exponent: lognormal around 1.3 (0.65..2.6)
PRIOR_LOG_R = (0.0, 1.0)  # predicted / observed revenue at the mean adstock

_THETA_GRID = np.linspace(0.0, 0.8, 9)
_LUMPY_THETA_GRID = np.concatenate([_THETA_GRID, [0.85, 0.9, 0.95]])
_SHAPE_GRID = np.array([0.5, 0.75, 1.0, 1.5, 2.0, 3.0])
_K_GRID = np.geomspace(0.1, 10.0, 9)


def opening_state(spend: np.ndarray, carryover: float, opening_mean: float | None = None) -> float:
    """Adstock carried into the first day: steady state of the first INIT_DAYS days' mean spend
    (or of `opening_mean`, e.g. the window's mean daily spend for lumpy channels)."""
    x = np.asarray(spend, dtype=float)
    if carryover <= 0.0 or x.size == 0:
        return 0.0
    m = float(x[:INIT_DAYS].mean()) if opening_mean is None else float(opening_mean)
    return m / (1.0 - carryover)


def adstock(spend: np.ndarray, carryover: float, opening_mean: float | None = None) -> np.ndarray:
    """Geometric adstock; the state before the first day is `opening_state` (spend was going on
    before the history starts), not zero as in ResponseCurve.adstock."""
    x = np.asarray(spend, dtype=float)
    if carryover <= 0.0:
        return x.copy()
    zi = [carryover * opening_state(x, carryover, opening_mean)]
    return lfilter([1.0], [1.0, -carryover], x, zi=zi)[0]


def _aggregate(v: np.ndarray, granularity: str) -> np.ndarray:
    """Daily values -> the fitting granularity (last axis; weekly needs a multiple of 7)."""
    if granularity == "daily":
        return v
    return v.reshape(*v.shape[:-1], -1, 7).sum(axis=-1)


def _robust_sigma(res: np.ndarray, ref: np.ndarray) -> float:
    med = np.median(res)
    sigma = 1.4826 * float(np.median(np.abs(res - med)))
    if not sigma > 0:
        sigma = float(np.std(res))
    floor = 1e-9 * float(np.max(np.abs(ref))) + 1e-300
    return max(sigma, floor)


def _r2(y: np.ndarray, pred: np.ndarray) -> float:
    sst = float(np.sum((y - y.mean()) ** 2))
    if sst <= 0:
        return 0.0
    return 1.0 - float(np.sum((y - pred) ** 2)) / sst


def _wape(y: np.ndarray, pred: np.ndarray, level: float = 0.0) -> float:
    """sum |y - pred| / sum |y|; when the holdout has no revenue, / (len(y) * level) instead."""
    denom = float(np.sum(np.abs(y)))
    if denom <= 0:
        denom = y.size * abs(level)
    err = float(np.sum(np.abs(y - pred)))
    if denom <= 0:
        return 0.0 if err == 0 else math.inf
    return err / denom


# --------------------------------------------------------------------------------------------
# fitted curve
# --------------------------------------------------------------------------------------------


@dataclass
class FitData:
    """What the bootstrap needs to refit a channel (kept out of repr/equality)."""

    spend: np.ndarray  # whole history, clipped
    revenue: np.ndarray  # whole history
    start: int  # first day of the fit window
    granularity: str
    sigma: float  # residual scale used by the robust loss
    fitted: np.ndarray | None  # daily Hill prediction over the fit window (None for constant ROAS)
    opening_mean: float | None = None  # mean daily spend behind the opening adstock (None: first INIT_DAYS)
    carryover_max: float = CARRYOVER_BOUNDS[1]


@dataclass
class FittedCurve:
    channel: str
    kind: str  # "hill_adstock" | "constant_roas"
    params: dict[str, float]
    r2: float | None  # in-sample, on the fitting granularity
    holdout_error: float | None  # WAPE of the kept model on the last holdout_days days
    fallback_used: bool
    fallback_reason: str | None  # "code: detail"
    n_days: int
    n_spend_days: int
    granularity: str | None = "daily"
    holdout_metric: str = "wape"
    diagnostics: dict[str, Any] = field(default_factory=dict)
    data: FitData | None = field(default=None, repr=False, compare=False)

    # ---- steady-state response -------------------------------------------------------------
    def predict_monthly(self, budget):
        """Revenue over 30 days when `budget` is spent evenly (steady state)."""
        if np.ndim(budget) == 0:
            return self._value(float(budget))
        return np.array([self._value(float(b)) for b in np.ravel(budget)]).reshape(np.shape(budget))

    def marginal_roas(self, budget):
        """d predict_monthly / d budget."""
        if np.ndim(budget) == 0:
            return self._marginal(float(budget))
        return np.array([self._marginal(float(b)) for b in np.ravel(budget)]).reshape(np.shape(budget))

    @property
    def inflection_budget(self) -> float:
        """Monthly budget where the marginal ROAS peaks (0 for concave curves)."""
        if self.kind != "hill_adstock" or self.params["shape"] <= 1.0:
            return 0.0
        p = self.params
        s = p["shape"]
        x = ((s - 1.0) / (s + 1.0)) ** (1.0 / s)
        return DAYS_PER_MONTH * (1.0 - p["carryover"]) * p["half_saturation"] * x

    def _value(self, b: float) -> float:
        b = max(b, 0.0)
        p = self.params
        if self.kind == "constant_roas":
            return p["roas"] * b
        x = b / (DAYS_PER_MONTH * (1.0 - p["carryover"]) * p["half_saturation"])
        if x <= 0.0:
            return 0.0
        q = x ** p["shape"]
        return DAYS_PER_MONTH * p["beta"] * q / (1.0 + q) if math.isfinite(q) else DAYS_PER_MONTH * p["beta"]

    def _marginal(self, b: float) -> float:
        b = max(b, 0.0)
        p = self.params
        if self.kind == "constant_roas":
            return p["roas"]
        s, k, beta, theta = p["shape"], p["half_saturation"], p["beta"], p["carryover"]
        scale = beta / ((1.0 - theta) * k)
        x = b / (DAYS_PER_MONTH * (1.0 - theta) * k)
        if x <= 0.0:
            return math.inf if s < 1.0 else (scale if s == 1.0 else 0.0)
        q = x**s
        if not math.isfinite(q) or q > 1e150:
            return 0.0
        return scale * s * (q / x) / (1.0 + q) ** 2

    # ---- conversions -----------------------------------------------------------------------
    def response_curve(self) -> ResponseCurve:
        if self.kind != "hill_adstock":
            raise ValueError(f"channel {self.channel!r}: a constant-ROAS fit has no Hill curve")
        p = self.params
        return ResponseCurve(self.channel, p["beta"], p["half_saturation"], p["shape"], p["carryover"])

    @classmethod
    def from_response_curve(cls, curve: ResponseCurve) -> FittedCurve:
        """Wrap a known (e.g. true) curve so the allocator can use it."""
        params = {
            "beta": float(curve.beta),
            "half_saturation": float(curve.half_saturation),
            "shape": float(curve.shape),
            "carryover": float(curve.carryover),
        }
        return cls(curve.channel, "hill_adstock", params, None, None, False, None, 0, 0, None)

    @classmethod
    def constant(cls, channel: str, roas: float) -> FittedCurve:
        return cls(channel, "constant_roas", {"roas": float(roas)}, None, None, False, None, 0, 0, None)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "r2": self.r2,
            "holdout_error": self.holdout_error,
            "fallback_used": self.fallback_used,
            "fallback_reason": self.fallback_reason,
            "n_days": self.n_days,
        }


# --------------------------------------------------------------------------------------------
# fitting problem on one day range
# --------------------------------------------------------------------------------------------


class _Problem:
    """MAP Hill fit of revenue[lo:hi] (aggregated to `granularity`) on the whole spend history.

    Residuals are standardised by a robust scale (1.4826 MAD of a straight line's residuals) and
    the weakly informative priors (PRIOR_*) are appended as extra residuals, so least squares
    minimises the negative log posterior (soft_l1 makes both the likelihood and the priors
    heavy-tailed beyond SOFT_L1_SCALE standard deviations).
    """

    def __init__(self, spend: np.ndarray, revenue: np.ndarray, lo: int, hi: int, granularity: str,
                 *, lumpy: bool = False, opening_mean: float | None = None):
        if granularity == "weekly":
            lo = hi - 7 * ((hi - lo) // 7)
        self.x, self.y, self.lo, self.hi, self.gran = spend, revenue, lo, hi, granularity
        self.lumpy, self.opening_mean = lumpy, opening_mean
        self.theta_max = LUMPY_CARRYOVER_MAX if lumpy else CARRYOVER_BOUNDS[1]
        self.theta_grid = _LUMPY_THETA_GRID if lumpy else _THETA_GRID
        self.y_agg = _aggregate(revenue[lo:hi], granularity)
        self.ybar = float(revenue[lo:hi].mean())
        self._ad_cache: dict[float, np.ndarray] = {}
        # line through the origin on adstocked spend (also gives the residual scale)
        self.line_theta, self.line_rho = self._fit_line()
        line_pred = self.line_predict(self.lo, self.hi)
        self.sigma = _robust_sigma(self.y_agg - line_pred, self.y_agg)
        self.use_prior = False  # fit() turns the priors on once the noise scale is known

    def ad(self, theta: float) -> np.ndarray:
        a = self._ad_cache.get(theta)
        if a is None:
            if len(self._ad_cache) > 64:
                self._ad_cache.clear()
            a = self._ad_cache[theta] = adstock(self.x, theta, self.opening_mean)
        return a

    def mean_ad(self, theta: float) -> float:
        return float(self.ad(theta)[self.lo : self.hi].mean())

    @property
    def lower(self) -> list[float]:
        return [CARRYOVER_BOUNDS[0], SHAPE_BOUNDS[0], math.log(HALF_SAT_REL_BOUNDS[0]), math.log(SCALE_REL_BOUNDS[0])]

    @property
    def upper(self) -> list[float]:
        return [self.theta_max, SHAPE_BOUNDS[1], math.log(HALF_SAT_REL_BOUNDS[1]), math.log(SCALE_REL_BOUNDS[1])]

    # relative <-> absolute parameters
    def to_abs(self, p) -> tuple[float, float, float, float]:
        theta, s, logk, logr = (float(v) for v in p)
        k, r = math.exp(logk), math.exp(logr)
        return theta, s, k * self.mean_ad(theta), r * self.ybar * (1.0 + k**s)

    def to_rel(self, theta, s, half_sat, beta) -> np.ndarray:
        theta = min(max(theta, CARRYOVER_BOUNDS[0]), self.theta_max)
        s = min(max(s, SHAPE_BOUNDS[0]), SHAPE_BOUNDS[1])
        k = half_sat / self.mean_ad(theta)
        k = min(max(k, HALF_SAT_REL_BOUNDS[0]), HALF_SAT_REL_BOUNDS[1])
        r = beta / (self.ybar * (1.0 + k**s))
        r = min(max(r, SCALE_REL_BOUNDS[0]), SCALE_REL_BOUNDS[1])
        return np.array([theta, s, math.log(k), math.log(r)])

    def predict_daily(self, theta, s, half_sat, beta, lo=None, hi=None) -> np.ndarray:
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        u = self.ad(theta)[lo:hi] / half_sat
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            q = np.where(u > 0, u**s, 0.0)
            h = np.where(np.isfinite(q), q / (1.0 + q), 1.0)
        return beta * h

    @staticmethod
    def prior_residuals(p) -> np.ndarray:
        _, s, logk, logr = (float(v) for v in p)
        return np.array([
            (logk - PRIOR_LOG_K[0]) / PRIOR_LOG_K[1],
            (math.log(s) - PRIOR_LOG_SHAPE[0]) / PRIOR_LOG_SHAPE[1],
            (logr - PRIOR_LOG_R[0]) / PRIOR_LOG_R[1],
        ])

    def residuals(self, p) -> np.ndarray:
        pred = self.predict_daily(*self.to_abs(p))
        data = (_aggregate(pred, self.gran) - self.y_agg) / self.sigma
        return np.concatenate([data, self.prior_residuals(p)]) if self.use_prior else data

    def _fit_line(self) -> tuple[float, float]:
        best = (math.inf, 0.0, 0.0)
        for theta in self.theta_grid:
            a = _aggregate(self.ad(float(theta))[self.lo : self.hi], self.gran)
            aa = float(a @ a)
            if aa <= 0:
                continue
            rho = max(float(a @ self.y_agg) / aa, 0.0)
            sse = float(np.sum((self.y_agg - rho * a) ** 2))
            if sse < best[0]:
                best = (sse, float(theta), rho)
        return best[1], best[2]

    def line_predict(self, lo: int, hi: int) -> np.ndarray:
        return _aggregate(self.line_rho * self.ad(self.line_theta)[lo:hi], self.gran)

    def grid_starts(self, n: int) -> list[np.ndarray]:
        """Best `n` grid points (closed-form beta, priors added) as relative parameter vectors."""
        y = self.y_agg
        cands = []
        for theta in self.theta_grid:
            a = self.ad(float(theta))[self.lo : self.hi]
            m = float(a.mean())
            if m <= 0:
                continue
            z = a / m
            with np.errstate(divide="ignore"):
                zs = np.where(z > 0, z[None, :] ** _SHAPE_GRID[:, None], 0.0)  # (S, n)
            ks = _K_GRID[None, :] ** _SHAPE_GRID[:, None]  # (S, K)
            h = zs[:, None, :] / (zs[:, None, :] + ks[:, :, None])  # (S, K, n)
            hagg = _aggregate(h, self.gran)
            hh = np.einsum("skn,skn->sk", hagg, hagg)
            hy = np.einsum("skn,n->sk", hagg, y)
            beta = np.where(hh > 0, np.maximum(hy, 0) / np.where(hh > 0, hh, 1), 0)
            sse = float(y @ y) - beta * hy * 2 + beta**2 * hh
            for i, s in enumerate(_SHAPE_GRID):
                for j, k in enumerate(_K_GRID):
                    r = beta[i, j] / (self.ybar * (1.0 + ks[i, j]))
                    if r <= 0:
                        continue
                    r = min(max(r, SCALE_REL_BOUNDS[0]), SCALE_REL_BOUNDS[1])
                    p = (float(theta), float(s), math.log(k), math.log(r))
                    obj = float(sse[i, j]) / self.sigma / self.sigma
                    if self.use_prior:
                        obj += float(np.sum(self.prior_residuals(p) ** 2))
                    cands.append((obj, p))
        cands.sort(key=lambda c: c[0])
        return [np.array(c[1]) for c in cands[:n]]

    def fit(self, extra_starts: list[np.ndarray] = (), n_grid: int = N_STARTS):
        """Two stages: a data-only fit whose residuals give the noise scale (1.4826 MAD, corrected
        for the 4 fitted parameters), then the MAP fit (priors on) started from it. The priors
        therefore weigh little when the data are precise and a lot when they are noisy."""
        self.use_prior = False
        first = self._solve(list(extra_starts) + self.grid_starts(n_grid))
        if first is None:
            return None
        pred = _aggregate(self.predict_daily(*self.to_abs(first.x)), self.gran)
        m = self.y_agg.size
        dof = math.sqrt(m / (m - 4)) if m > 8 else 2.0
        # (floored at 1e-3 x the line's scale: an exact fit must not make the priors infinitely weak)
        self.sigma = max(_robust_sigma(self.y_agg - pred, self.y_agg) * dof, 1e-3 * self.sigma)
        self.use_prior = True
        best = self._solve([first.x])
        if best is None:
            return None
        abs_p = self.to_abs(best.x)
        pred = _aggregate(self.predict_daily(*abs_p), self.gran)
        return best.x, abs_p, _r2(self.y_agg, pred)

    def _solve(self, starts):
        lb, ub = self.lower, self.upper
        best = None
        for x0 in starts:
            x0 = np.clip(np.asarray(x0, float), lb, ub)
            try:
                res = least_squares(
                    self.residuals, x0, bounds=(lb, ub), loss="soft_l1", f_scale=SOFT_L1_SCALE,
                    method="trf", x_scale=[0.2, 0.5, 1.0, 1.0], max_nfev=300,
                )
            except (ValueError, FloatingPointError):
                continue
            if np.isfinite(res.cost) and (best is None or res.cost < best.cost - 1e-12 * abs(best.cost)):
                best = res
        return best


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------


def _fallback(channel, roas, reason, n_days, n_spend, start, spend, revenue, **extra) -> FittedCurve:
    data = FitData(spend, revenue, start, "daily", 1.0, None)
    return FittedCurve(
        channel, "constant_roas", {"roas": float(roas)}, extra.pop("r2", None), extra.pop("holdout_error", None),
        True, reason, n_days, n_spend, extra.pop("granularity", None), diagnostics=extra, data=data,
    )


def _lumpy(spend: np.ndarray, start: int, hi: int) -> bool:
    """Cost booked on fewer than MIN_SPEND_DAYS days of [start, hi) but spread over the window."""
    x = spend[start:hi]
    days = np.flatnonzero(x > 0)
    return (days.size < MIN_SPEND_DAYS and days.size >= MIN_LUMPY_SPEND_DAYS
            and x.size - int(days[0]) >= MIN_LUMPY_SPAN_DAYS)


def _enough_training(spend: np.ndarray, start: int, hi: int, lumpy: bool) -> bool:
    if hi - start < MIN_TRAIN_DAYS:
        return False
    n_spend = int(np.count_nonzero(spend[start:hi] > 0))
    return n_spend >= (MIN_LUMPY_SPEND_DAYS if lumpy else MIN_TRAIN_SPEND_DAYS)


def _holdout_verdict(ys, hills, lines, level) -> tuple[float, float, bool]:
    """Pooled WAPEs of the curve and the line, and whether the line is *clearly* better: with at
    least MIN_HOLDOUT_PERIODS pooled periods, lower pooled WAPE by more than HOLDOUT_SIGNIFICANCE
    standard errors of the paired per-period differences of absolute errors, or at most half the
    curve's WAPE. A tie within the noise keeps the (prior-regularised) curve: constant ROAS is not
    a safer bet than a shrunk curve. So do fewer periods: on 4 weekly points of Poisson orders the
    halving rule fired on noise and froze large S-shaped channels at +-10 % (truth benchmark)."""
    y_h, hill, line = np.concatenate(ys), np.concatenate(hills), np.concatenate(lines)
    hill_wape, line_wape = _wape(y_h, hill, level), _wape(y_h, line, level)
    if not line_wape < hill_wape or y_h.size < MIN_HOLDOUT_PERIODS:
        return hill_wape, line_wape, False  # (a few weekly points cannot tell a curve from noise)
    if line_wape <= 0.5 * hill_wape:
        return hill_wape, line_wape, True
    d = np.abs(y_h - hill) - np.abs(y_h - line)  # > 0 where the line is closer
    se = float(np.std(d, ddof=1) / math.sqrt(d.size))
    return hill_wape, line_wape, bool(float(np.mean(d)) > HOLDOUT_SIGNIFICANCE * se)


def fit_channel(history: ChannelHistory, *, holdout_days: int = 14, fit_days: int | None = None) -> FittedCurve:
    """Fit the channel's response curve on the last `fit_days` days (see module docstring)."""
    if int(holdout_days) != holdout_days or holdout_days < 0:
        raise ValueError("holdout_days must be a non-negative integer")
    holdout_days = int(holdout_days)
    spend, revenue = history.spend, history.revenue
    n_all = history.n_days
    win = history.window(fit_days)
    start = win.start
    xw, yw = spend[win], revenue[win]
    n_days, n_spend = int(xw.size), int(np.count_nonzero(xw > 0))
    ch = history.channel
    common = dict(n_days=n_days, n_spend=n_spend, start=start, spend=spend, revenue=revenue)

    if n_spend == 0:
        return _fallback(ch, 0.0, f"no_spend: no positive cost in the {n_days}-day fit window", **common)
    roas = float(yw.sum() / xw.sum())
    if yw.sum() <= 0:
        return _fallback(ch, max(roas, 0.0), "no_revenue: attributed revenue sums to <= 0", **common)
    n_rev = int(np.count_nonzero(yw > 0))
    if n_rev < MIN_REVENUE_DAYS:
        return _fallback(ch, roas, f"thin_data: attributed revenue on only {n_rev} days (need >= {MIN_REVENUE_DAYS}): "
                                   "too few orders to see a curve", **common)
    n_train = n_days - holdout_days
    train_hi = n_all - holdout_days
    train_spend = int(np.count_nonzero(spend[start:train_hi] > 0)) if n_train > 0 else 0
    lumpy = _lumpy(spend, start, n_all)
    if n_spend < MIN_SPEND_DAYS and not lumpy:
        return _fallback(ch, roas, f"thin_data: only {n_spend} days with spend (need >= {MIN_SPEND_DAYS}, or "
                                   f">= {MIN_LUMPY_SPEND_DAYS} spread over >= {MIN_LUMPY_SPAN_DAYS} days)", **common)
    if n_train < MIN_TRAIN_DAYS or not _enough_training(spend, start, train_hi, lumpy):
        need = MIN_LUMPY_SPEND_DAYS if lumpy else MIN_TRAIN_SPEND_DAYS
        return _fallback(
            ch, roas,
            f"thin_data: {n_train} days ({train_spend} with spend) before the {holdout_days}-day holdout "
            f"(need >= {MIN_TRAIN_DAYS} days, >= {need} with spend)",
            **common,
        )
    cv = float(xw.std() / xw.mean())
    if cv < MIN_SPEND_CV:
        return _fallback(ch, roas, f"flat_spend: daily spend varies too little (CV {cv:.3f} < {MIN_SPEND_CV})",
                         **common)
    # lumpy cost: the opening adstock is the window's mean daily spend (the first days say little)
    opening = float(xw.mean()) if lumpy else None
    kw = dict(lumpy=lumpy, opening_mean=opening)

    # --- train fit, daily then weekly if too noisy (lumpy: weekly whenever possible) ------------
    gran = "daily"
    train = _Problem(spend, revenue, start, train_hi, gran, **kw)
    fit_tr = train.fit()
    daily_r2 = fit_tr[2] if fit_tr else None
    noise = None
    if fit_tr is not None:
        res = train.y_agg - train.predict_daily(*fit_tr[1])
        noise = 1.4826 * float(np.median(np.abs(res - np.median(res)))) / train.ybar
    if (
        (noise is None or noise > WEEKLY_NOISE_THRESHOLD or lumpy)
        and n_train // 7 >= MIN_WEEKS_FOR_WEEKLY
        and (holdout_days == 0 or holdout_days >= 7)
    ):
        gran = "weekly"
        train = _Problem(spend, revenue, start, train_hi, gran, **kw)
        fit_tr = train.fit([train.to_rel(*fit_tr[1])] if fit_tr else [])
    if fit_tr is None:
        return _fallback(ch, roas, "fit_failed: the saturating curve could not be fitted", **common)

    diag: dict[str, Any] = {"daily_r2_train": daily_r2, "daily_noise_ratio_train": noise, "spend_cv": cv,
                            "lumpy": lumpy}
    # --- holdout comparison on rolling-origin windows ---------------------------------------------
    if holdout_days > 0:
        hw = 7 * (holdout_days // 7) if gran == "weekly" else holdout_days
        ys, hills, lines, levels = [], [], [], []
        for k in range(HOLDOUT_WINDOWS):
            t_hi = n_all - k * hw - holdout_days  # window k: train on [start, t_hi) ...
            h_lo, h_hi = n_all - (k + 1) * hw, n_all - k * hw  # ... score on [h_lo, h_hi)
            if k == 0:
                prob, fit_k = train, fit_tr
            else:
                if not _enough_training(spend, start, t_hi, lumpy) or (
                        gran == "weekly" and (t_hi - start) // 7 < MIN_WEEKS_FOR_WEEKLY):
                    break  # (a weekly curve on fewer than 8 weeks is too loose to judge it by)
                prob = _Problem(spend, revenue, start, t_hi, gran, **kw)
                fit_k = prob.fit([prob.to_rel(*fit_tr[1])], n_grid=0)  # warm start from window 0
                if fit_k is None:
                    continue
            ys.append(_aggregate(revenue[h_lo:h_hi], gran))
            hills.append(_aggregate(prob.predict_daily(*fit_k[1], lo=h_lo, hi=h_hi), gran))
            lines.append(prob.line_predict(h_lo, h_hi))
            levels.append(float(np.mean(_aggregate(revenue[prob.lo : prob.hi], gran))))
        windows = len(ys)
        hill_wape, line_wape, line_wins = _holdout_verdict(ys, hills, lines, float(np.mean(levels)))
        diag.update(holdout_wape_hill=hill_wape, holdout_wape_constant_roas=line_wape, holdout_windows=windows)
        if line_wins:
            full_line = _Problem(spend, revenue, start, n_all, gran, **kw)
            r2_line = _r2(full_line.y_agg, full_line.line_predict(full_line.lo, full_line.hi))
            return _fallback(
                ch, roas,
                f"holdout: constant ROAS WAPE {line_wape:.4f} <= saturating curve WAPE {hill_wape:.4f} "
                f"on {windows} rolling window{'s' if windows != 1 else ''} of {hw} days",
                r2=r2_line, holdout_error=line_wape, granularity=gran, **diag, **common,
            )
        holdout_error = hill_wape
    else:
        holdout_error = None

    # --- final fit on the whole window ----------------------------------------------------------
    full = _Problem(spend, revenue, start, n_all, gran, **kw)
    fit_full = full.fit([full.to_rel(*fit_tr[1])], n_grid=2)
    if fit_full is None:
        return _fallback(ch, roas, "fit_failed: the saturating curve could not be refitted", **common)
    theta, s, half_sat, beta = fit_full[1]
    params = {"beta": beta, "half_saturation": half_sat, "shape": s, "carryover": theta}
    fitted = full.predict_daily(theta, s, half_sat, beta, lo=start, hi=n_all)
    data = FitData(spend, revenue, start, gran, full.sigma, fitted, opening, full.theta_max)
    return FittedCurve(
        ch, "hill_adstock", params, fit_full[2], holdout_error, False, None, n_days, n_spend, gran,
        diagnostics=diag, data=data,
    )
