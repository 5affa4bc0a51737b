"""Fit one channel's response curve: Hill on geometric adstock, or a constant-ROAS fallback.

Model (same functional form as `insight_service.sample_data.curves.ResponseCurve`):

    adstock[t] = spend[t] + carryover * adstock[t-1]          (zero state before the history)
    revenue[t] = beta * adstock[t]**shape / (adstock[t]**shape + half_saturation**shape)

Fitting rules (numbers are module constants below):

* Fit window: the last `fit_days` days of the history (all of it when None); adstock runs from the
  first day of the history so the window starts with its real carry-over. Before the first day
  the adstock is assumed at the steady state of the first 14 days' mean spend (spend rarely starts
  on the day the history does; the sample generator also burns in at the opening level).
* Parameters are searched in a data-relative space: carryover in [0, 0.8], shape in [0.5, 3],
  half_saturation = k * mean adstocked spend of the fit days with k in [0.1, 10], and
  beta = r * mean revenue * (1 + k**shape) with r in [0.1, 10] (r = predicted revenue at the mean
  adstock over the mean revenue, so beta is bounded relative to the data).  Scale-free: multiplying
  cost and revenue by 1000 gives the same relative parameters.
* Starts: a deterministic grid (9 carryovers x 6 shapes x 9 k, beta by closed-form least squares)
  ranks candidates; the best 3 are refined with `scipy.optimize.least_squares` (trf, loss soft_l1,
  f_scale 1.5 on residuals standardised by 1.4826 * MAD of a constant-ROAS fit's residuals).
* Daily vs weekly: fit on daily data; if the daily fit is too noisy - robust residual scale
  (1.4826 * MAD of the daily residuals on the training days) above 0.5x the mean daily revenue, or
  no fit at all - and at least 8 full training weeks exist (and holdout_days is 0 or >= 7), refit on
  weekly sums (the model stays daily; its predictions are summed per 7-day block aligned to the
  end of the window). Low R^2 alone is not used: a saturated channel has little signal variance
  and a low R^2 even when the curve is right. Weekly sums make skewed low-count daily noise
  (Poisson orders) closer to symmetric, which the robust loss needs to stay unbiased.
* Holdout: the last `holdout_days` days are held out. The saturating curve and a straight line
  through the origin on adstocked spend (revenue = rho * adstock, carryover by grid, rho by least
  squares) are fitted on the preceding days; the Hill curve is kept only if its WAPE
  (sum |error| / sum |revenue|) on the holdout is strictly lower. It is then refitted on the whole
  window. `holdout_error` is the WAPE of the kept model on the holdout (if the holdout has no
  revenue at all, the error is divided by the mean training revenue per period instead).
* Fallback to constant ROAS (= sum revenue / sum spend over the fit window), flagged with a
  reason code `code: detail`:
    no_spend     no positive cost in the window (optimize() excludes such channels)
    no_revenue   revenue sums to <= 0
    thin_data    < 28 days with spend, < 28 training days before the holdout, or < 21 training
                 days with spend
    flat_spend   coefficient of variation of daily spend < 0.05 (curvature is invisible)
    holdout      the constant-ROAS line was at least as good on the holdout
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

from insight_service.sample_data.curves import DAYS_PER_MONTH, ResponseCurve

from .history import ChannelHistory

CARRYOVER_BOUNDS = (0.0, 0.8)
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

_THETA_GRID = np.linspace(0.0, 0.8, 9)
_SHAPE_GRID = np.array([0.5, 0.75, 1.0, 1.5, 2.0, 3.0])
_K_GRID = np.geomspace(0.1, 10.0, 9)


def opening_state(spend: np.ndarray, carryover: float) -> float:
    """Adstock carried into the first day: steady state of the first INIT_DAYS days' mean spend."""
    x = np.asarray(spend, dtype=float)
    if carryover <= 0.0 or x.size == 0:
        return 0.0
    return float(x[:INIT_DAYS].mean()) / (1.0 - carryover)


def adstock(spend: np.ndarray, carryover: float) -> np.ndarray:
    """Geometric adstock; the state before the first day is `opening_state` (spend was going on
    before the history starts), not zero as in ResponseCurve.adstock."""
    x = np.asarray(spend, dtype=float)
    if carryover <= 0.0:
        return x.copy()
    zi = [carryover * opening_state(x, carryover)]
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
    def from_response_curve(cls, curve: ResponseCurve) -> "FittedCurve":
        """Wrap a known (e.g. true) curve so the allocator can use it."""
        params = {
            "beta": float(curve.beta),
            "half_saturation": float(curve.half_saturation),
            "shape": float(curve.shape),
            "carryover": float(curve.carryover),
        }
        return cls(curve.channel, "hill_adstock", params, None, None, False, None, 0, 0, None)

    @classmethod
    def constant(cls, channel: str, roas: float) -> "FittedCurve":
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
    """Hill fit of revenue[lo:hi] (aggregated to `granularity`) on the whole spend history."""

    def __init__(self, spend: np.ndarray, revenue: np.ndarray, lo: int, hi: int, granularity: str):
        if granularity == "weekly":
            lo = hi - 7 * ((hi - lo) // 7)
        self.x, self.y, self.lo, self.hi, self.gran = spend, revenue, lo, hi, granularity
        self.y_agg = _aggregate(revenue[lo:hi], granularity)
        self.ybar = float(revenue[lo:hi].mean())
        self._ad_cache: dict[float, np.ndarray] = {}
        # line through the origin on adstocked spend (also gives the residual scale)
        self.line_theta, self.line_rho = self._fit_line()
        line_pred = self.line_predict(self.lo, self.hi)
        self.sigma = _robust_sigma(self.y_agg - line_pred, self.y_agg)

    def ad(self, theta: float) -> np.ndarray:
        a = self._ad_cache.get(theta)
        if a is None:
            if len(self._ad_cache) > 64:
                self._ad_cache.clear()
            a = self._ad_cache[theta] = adstock(self.x, theta)
        return a

    def mean_ad(self, theta: float) -> float:
        return float(self.ad(theta)[self.lo : self.hi].mean())

    # relative <-> absolute parameters
    def to_abs(self, p) -> tuple[float, float, float, float]:
        theta, s, logk, logr = (float(v) for v in p)
        k, r = math.exp(logk), math.exp(logr)
        return theta, s, k * self.mean_ad(theta), r * self.ybar * (1.0 + k**s)

    def to_rel(self, theta, s, half_sat, beta) -> np.ndarray:
        k = half_sat / self.mean_ad(theta)
        k = min(max(k, HALF_SAT_REL_BOUNDS[0]), HALF_SAT_REL_BOUNDS[1])
        r = beta / (self.ybar * (1.0 + k**s))
        r = min(max(r, SCALE_REL_BOUNDS[0]), SCALE_REL_BOUNDS[1])
        theta = min(max(theta, CARRYOVER_BOUNDS[0]), CARRYOVER_BOUNDS[1])
        s = min(max(s, SHAPE_BOUNDS[0]), SHAPE_BOUNDS[1])
        return np.array([theta, s, math.log(k), math.log(r)])

    def predict_daily(self, theta, s, half_sat, beta, lo=None, hi=None) -> np.ndarray:
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        u = self.ad(theta)[lo:hi] / half_sat
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            q = np.where(u > 0, u**s, 0.0)
            h = np.where(np.isfinite(q), q / (1.0 + q), 1.0)
        return beta * h

    def residuals(self, p) -> np.ndarray:
        pred = self.predict_daily(*self.to_abs(p))
        return (_aggregate(pred, self.gran) - self.y_agg) / self.sigma

    def _fit_line(self) -> tuple[float, float]:
        best = (math.inf, 0.0, 0.0)
        for theta in _THETA_GRID:
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
        """Best `n` grid points (closed-form beta) as relative parameter vectors."""
        y = self.y_agg
        cands = []
        for theta in _THETA_GRID:
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
                    cands.append((float(sse[i, j]), (float(theta), float(s), math.log(k), math.log(r))))
        cands.sort(key=lambda c: c[0])
        return [np.array(c[1]) for c in cands[:n]]

    def fit(self, extra_starts: list[np.ndarray] = (), n_grid: int = N_STARTS):
        lb = [CARRYOVER_BOUNDS[0], SHAPE_BOUNDS[0], math.log(HALF_SAT_REL_BOUNDS[0]), math.log(SCALE_REL_BOUNDS[0])]
        ub = [CARRYOVER_BOUNDS[1], SHAPE_BOUNDS[1], math.log(HALF_SAT_REL_BOUNDS[1]), math.log(SCALE_REL_BOUNDS[1])]
        best = None
        for x0 in list(extra_starts) + self.grid_starts(n_grid):
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
        if best is None:
            return None
        abs_p = self.to_abs(best.x)
        pred = _aggregate(self.predict_daily(*abs_p), self.gran)
        return best.x, abs_p, _r2(self.y_agg, pred)


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------


def _fallback(channel, roas, reason, n_days, n_spend, start, spend, revenue, **extra) -> FittedCurve:
    data = FitData(spend, revenue, start, "daily", 1.0, None)
    return FittedCurve(
        channel, "constant_roas", {"roas": float(roas)}, extra.pop("r2", None), extra.pop("holdout_error", None),
        True, reason, n_days, n_spend, extra.pop("granularity", None), diagnostics=extra, data=data,
    )


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
    n_train = n_days - holdout_days
    train_spend = int(np.count_nonzero(spend[start : n_all - holdout_days] > 0)) if n_train > 0 else 0
    if n_spend < MIN_SPEND_DAYS:
        return _fallback(ch, roas, f"thin_data: only {n_spend} days with spend (need >= {MIN_SPEND_DAYS})", **common)
    if n_train < MIN_TRAIN_DAYS or train_spend < MIN_TRAIN_SPEND_DAYS:
        return _fallback(
            ch, roas,
            f"thin_data: {n_train} days ({train_spend} with spend) before the {holdout_days}-day holdout "
            f"(need >= {MIN_TRAIN_DAYS} days, >= {MIN_TRAIN_SPEND_DAYS} with spend)",
            **common,
        )
    cv = float(xw.std() / xw.mean())
    if cv < MIN_SPEND_CV:
        return _fallback(ch, roas, f"flat_spend: daily spend varies too little (CV {cv:.3f} < {MIN_SPEND_CV})", **common)

    # --- train fit, daily then weekly if too noisy --------------------------------------------
    train_hi = n_all - holdout_days
    gran = "daily"
    train = _Problem(spend, revenue, start, train_hi, gran)
    fit_tr = train.fit()
    daily_r2 = fit_tr[2] if fit_tr else None
    noise = None
    if fit_tr is not None:
        res = train.y_agg - train.predict_daily(*fit_tr[1])
        noise = 1.4826 * float(np.median(np.abs(res - np.median(res)))) / train.ybar
    if (
        (noise is None or noise > WEEKLY_NOISE_THRESHOLD)
        and n_train // 7 >= MIN_WEEKS_FOR_WEEKLY
        and (holdout_days == 0 or holdout_days >= 7)
    ):
        gran = "weekly"
        train = _Problem(spend, revenue, start, train_hi, gran)
        fit_tr = train.fit([train.to_rel(*fit_tr[1])] if fit_tr else [])
    if fit_tr is None:
        return _fallback(ch, roas, "fit_failed: the saturating curve could not be fitted", **common)

    diag: dict[str, Any] = {"daily_r2_train": daily_r2, "daily_noise_ratio_train": noise, "spend_cv": cv}
    # --- holdout comparison -------------------------------------------------------------------
    if holdout_days > 0:
        if gran == "weekly":
            h_lo = n_all - 7 * (holdout_days // 7)
        else:
            h_lo = n_all - holdout_days
        y_h = _aggregate(revenue[h_lo:n_all], gran)
        hill_h = _aggregate(train.predict_daily(*fit_tr[1], lo=h_lo, hi=n_all), gran)
        line_h = train.line_predict(h_lo, n_all)
        level = float(np.mean(_aggregate(revenue[train.lo : train.hi], gran)))
        hill_wape, line_wape = _wape(y_h, hill_h, level), _wape(y_h, line_h, level)
        diag.update(holdout_wape_hill=hill_wape, holdout_wape_constant_roas=line_wape)
        if not hill_wape < line_wape:
            full_line = _Problem(spend, revenue, start, n_all, gran)
            r2_line = _r2(full_line.y_agg, full_line.line_predict(full_line.lo, full_line.hi))
            return _fallback(
                ch, roas,
                f"holdout: constant ROAS WAPE {line_wape:.4f} <= saturating curve WAPE {hill_wape:.4f} "
                f"on the last {holdout_days} days",
                r2=r2_line, holdout_error=line_wape, granularity=gran, **diag, **common,
            )
        holdout_error = hill_wape
    else:
        holdout_error = None

    # --- final fit on the whole window ----------------------------------------------------------
    full = _Problem(spend, revenue, start, n_all, gran)
    fit_full = full.fit([full.to_rel(*fit_tr[1])], n_grid=2)
    if fit_full is None:
        return _fallback(ch, roas, "fit_failed: the saturating curve could not be refitted", **common)
    theta, s, half_sat, beta = fit_full[1]
    params = {"beta": beta, "half_saturation": half_sat, "shape": s, "carryover": theta}
    fitted = full.predict_daily(theta, s, half_sat, beta, lo=start, hi=n_all)
    data = FitData(spend, revenue, start, gran, full.sigma, fitted)
    return FittedCurve(
        ch, "hill_adstock", params, fit_full[2], holdout_error, False, None, n_days, n_spend, gran,
        diagnostics=diag, data=data,
    )
