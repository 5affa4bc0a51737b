"""Moving-block bootstrap interval for the predicted lift of a plan over the current split.

For each channel, independently, with its own generator seeded by (seed, crc32(channel)) so that
channel order does not matter:

* Hill curves: residual bootstrap. Daily residuals of the fit window are resampled in moving
  blocks of 7 consecutive days (block starts uniform, blocks concatenated and cut to the window
  length), added to the fitted values, and the curve is refitted (batched robust
  Levenberg-Marquardt, see refit.py). The carry-over/shape/saturation choice of the point fit
  is kept (no re-selection against the constant-ROAS line).
* Constant-ROAS curves: blocks of 7 days of (spend, revenue) pairs are resampled and the ROAS is
  recomputed as sum revenue / sum spend.

Channel lift in sample j = r_j(recommended) - r_j(current split); the plan's lift is the sum over
channels. Intervals are the 10th and 90th percentiles. The plan is not re-optimised per sample:
the interval is for the lift of *this* plan.
"""
from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .curves import FittedCurve
from .refit import refit_hill_batch, steady_state_batch

BLOCK_DAYS = 7
PERCENTILES = (10.0, 90.0)


def block_indices(rng: np.random.Generator, n: int, samples: int, block: int = BLOCK_DAYS) -> np.ndarray:
    """(samples, n) day indices of a moving-block bootstrap."""
    block = max(1, min(block, n))
    n_blocks = -(-n // block)
    starts = rng.integers(0, n - block + 1, size=(samples, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(samples, -1)
    return idx[:, :n]


def channel_rng(seed: int, channel: str) -> np.random.Generator:
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(channel.encode("utf-8"))])


def bootstrap_draws(fit: FittedCurve, samples: int, seed: int) -> np.ndarray | None:
    """The refitted parameters of every bootstrap sample of one channel: (samples, 4) rows of
    (carryover, shape, half_saturation, beta) for a Hill curve, (samples,) ROAS values for a
    constant-ROAS curve; None without data to resample. They do not depend on the budgets, so
    the refresh computes them once per fit (pipeline/budget_curves.py) and a plan only evaluates them."""
    data = fit.data
    if samples <= 0 or data is None:
        return None
    rng = channel_rng(seed, fit.channel)
    x = data.spend[data.start :]
    n = x.size
    idx = block_indices(rng, n, samples)
    if fit.kind == "constant_roas":
        y = data.revenue[data.start :]
        xs, ys = x[idx].sum(axis=1), y[idx].sum(axis=1)
        return np.where(xs > 0, ys / np.where(xs > 0, xs, 1.0), fit.params["roas"])
    resid = data.revenue[data.start :] - data.fitted
    y_star = data.fitted[None, :] + resid[idx]
    return refit_hill_batch(fit, y_star)


def lift_from_draws(fit: FittedCurve, draws: np.ndarray | None, recommended: float, current: float,
                    samples: int) -> np.ndarray:
    """Bootstrap samples of predict(recommended) - predict(current) from `bootstrap_draws`."""
    if draws is None or recommended == current:
        point = float(fit.predict_monthly(recommended) - fit.predict_monthly(current))
        return np.full(max(samples, 1), point)
    if fit.kind == "constant_roas":
        return draws * (recommended - current)
    return steady_state_batch(draws, recommended) - steady_state_batch(draws, current)


def lift_samples(fit: FittedCurve, recommended: float, current: float, samples: int, seed: int) -> np.ndarray:
    """Bootstrap samples of predict(recommended) - predict(current) for one channel."""
    draws = None if recommended == current else bootstrap_draws(fit, samples, seed)
    return lift_from_draws(fit, draws, recommended, current, samples)


@dataclass
class LiftIntervals:
    channels: dict[str, tuple[float, float]]
    total: tuple[float, float]
    samples: int


def lift_intervals(
    fits: list[FittedCurve], recommended: list[float], current: list[float], samples: int, seed: int,
    draws: Mapping[str, np.ndarray | None] | None = None,
) -> LiftIntervals:
    """10th-90th percentiles of each channel's and the plan's lift; `draws` (channel ->
    `bootstrap_draws(fit, samples, seed)`, precomputed) saves the refits."""
    per = {}
    total = None
    for fit, rec, cur in zip(fits, recommended, current):
        if draws is None:
            s = lift_samples(fit, rec, cur, samples, seed)
        else:
            s = lift_from_draws(fit, draws.get(fit.channel), rec, cur, samples)
        lo, hi = np.percentile(s, PERCENTILES)
        per[fit.channel] = (float(lo), float(hi))
        total = s.copy() if total is None else total + s
    if total is None:
        return LiftIntervals(per, (0.0, 0.0), samples)
    lo, hi = np.percentile(total, PERCENTILES)
    return LiftIntervals(per, (float(lo), float(hi)), samples)
