"""Cheap batched refit of a Hill-on-adstock curve for many bootstrap samples at once.

A vectorised Levenberg-Marquardt with the same robust loss as the main fit (soft_l1 via
iteratively reweighted least squares), analytic Jacobian, all samples solved together, started
from the point estimate and run for a fixed number of iterations (20). Parameters
(carryover, shape, log half_saturation, log beta) are clipped to the main fit's bounds:
carryover in [0, 0.8] (0.95 for lumpy channels, FitData.carryover_max), shape in [0.5, 3],
half_saturation within 0.1-10x the mean adstocked spend
of the window at the fitted carryover, beta within 1/50-50x the point estimate.
"""
from __future__ import annotations

import math

import numpy as np

from .curves import CARRYOVER_BOUNDS, HALF_SAT_REL_BOUNDS, INIT_DAYS, SHAPE_BOUNDS, SOFT_L1_SCALE, FittedCurve, adstock

LM_ITERATIONS = 20
WARMUP_DAYS = 60  # adstock runs from 60 days before the window (older state: 0.8**60 ~ 1e-6)
BETA_RANGE = 50.0


def _model(p: np.ndarray, x: np.ndarray, w0: int, gran: str, opening_mean: float | None = None):
    """Daily predictions over x[w0:] and their Jacobian for parameter rows p (S, 4)."""
    theta, s = p[:, 0:1], p[:, 1:2]
    k, beta = np.exp(p[:, 2:3]), np.exp(p[:, 3:4])
    S, n = p.shape[0], x.size
    a = np.empty((S, n))
    d = np.empty((S, n))
    th = theta[:, 0]
    # opening state m0 / (1 - theta), as curves.adstock
    m0 = float(x[:INIT_DAYS].mean()) if opening_mean is None else float(opening_mean)
    prev_a = (m0 / (1.0 - th))[:, None]
    prev_d = (m0 / (1.0 - th) ** 2)[:, None]
    for t in range(n):
        cur_d = prev_a[:, 0] + th * prev_d[:, 0]
        cur_a = x[t] + th * prev_a[:, 0]
        a[:, t], d[:, t] = cur_a, cur_d
        prev_a, prev_d = a[:, t : t + 1], d[:, t : t + 1]
    a, d = a[:, w0:], d[:, w0:]
    pos = a > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lu = np.where(pos, np.log(np.where(pos, a, 1.0) / k), 0.0)
        q = np.where(pos, np.exp(np.minimum(s * lu, 700.0)), 0.0)
        g = 1.0 / (1.0 + q) ** 2
        pred = beta * q / (1.0 + q)
        j_theta = np.where(pos, beta * g * s * q / np.where(pos, a, 1.0) * d, 0.0)
    j_s = beta * g * q * lu
    j_k = -beta * g * q * s
    j_b = pred
    J = np.stack([j_theta, j_s, j_k, j_b], axis=-1)  # (S, n, 4)
    if gran == "weekly":
        m = pred.shape[1] - 7 * (pred.shape[1] // 7)
        pred = pred[:, m:].reshape(S, -1, 7).sum(-1)
        J = J[:, m:].reshape(S, -1, 7, 4).sum(-2)
    return pred, J


def refit_hill_batch(fit: FittedCurve, y_window: np.ndarray) -> np.ndarray:
    """Refit `fit` (a Hill curve) to each row of y_window (S, n_window daily revenue).

    Returns (S, 4) absolute parameters: carryover, shape, half_saturation, beta.
    """
    data = fit.data
    p0 = fit.params
    w_from = max(0, data.start - WARMUP_DAYS)
    x = data.spend[w_from:]
    w0 = data.start - w_from
    gran = data.granularity
    Y = np.asarray(y_window, float)
    if gran == "weekly":
        m = Y.shape[1] - 7 * (Y.shape[1] // 7)
        Y = Y[:, m:].reshape(Y.shape[0], -1, 7).sum(-1)
    S = Y.shape[0]
    mean_ad = float(adstock(data.spend, p0["carryover"], data.opening_mean)[data.start :].mean())
    lb = np.array([CARRYOVER_BOUNDS[0], SHAPE_BOUNDS[0], math.log(HALF_SAT_REL_BOUNDS[0] * mean_ad),
                   math.log(p0["beta"] / BETA_RANGE)])
    ub = np.array([data.carryover_max, SHAPE_BOUNDS[1], math.log(HALF_SAT_REL_BOUNDS[1] * mean_ad),
                   math.log(p0["beta"] * BETA_RANGE)])
    start = np.array([p0["carryover"], p0["shape"], math.log(p0["half_saturation"]), math.log(p0["beta"])])
    p = np.tile(np.clip(start, lb, ub), (S, 1))
    sigma, f = data.sigma, SOFT_L1_SCALE

    def cost_of(pred):
        z = ((pred - Y) / (sigma * f)) ** 2
        return (2.0 * (np.sqrt(1.0 + z) - 1.0)).sum(axis=1)

    pred, J = _model(p, x, w0, gran, data.opening_mean)
    cost = cost_of(pred)
    mu = np.full(S, 1e-3)
    eye = np.eye(4)
    for _ in range(LM_ITERATIONS):
        r = (pred - Y) / sigma
        w = 1.0 / np.sqrt(1.0 + (r / f) ** 2)
        Js = J / sigma
        JwT = (Js * w[:, :, None]).transpose(0, 2, 1)  # (S, 4, n)
        A = JwT @ Js
        gvec = (JwT @ r[:, :, None])[..., 0]
        diag = np.einsum("sii->si", A)
        M = A + (mu[:, None] * np.maximum(diag, 1e-12))[:, :, None] * eye + 1e-12 * eye
        try:
            step = np.linalg.solve(M, -gvec[..., None])[..., 0]
        except np.linalg.LinAlgError:
            break
        p_new = np.clip(p + step, lb, ub)
        pred_new, J_new = _model(p_new, x, w0, gran, data.opening_mean)
        cost_new = cost_of(pred_new)
        ok = np.isfinite(cost_new) & (cost_new < cost)
        p[ok], pred[ok], J[ok], cost[ok] = p_new[ok], pred_new[ok], J_new[ok], cost_new[ok]
        mu = np.where(ok, mu / 3.0, mu * 4.0)
    out = p.copy()
    out[:, 2] = np.exp(p[:, 2])
    out[:, 3] = np.exp(p[:, 3])
    return out


def steady_state_batch(params: np.ndarray, budget: float, days: int = 30) -> np.ndarray:
    """Steady-state monthly revenue of `budget` under each parameter row (carryover, shape, K, beta)."""
    if budget <= 0:
        return np.zeros(params.shape[0])
    theta, s, k, beta = params.T
    x = (budget / days) / ((1.0 - theta) * k)
    with np.errstate(over="ignore"):
        q = np.exp(np.minimum(s * np.log(x), 700.0))
    return days * beta * q / (1.0 + q)
