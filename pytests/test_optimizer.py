"""Budget optimizer: fitting, exact allocation, bounds, fallbacks, target mode, uncertainty."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from insight_service.optimizer import (
    Bounds,
    ChannelHistory,
    FittedCurve,
    InfeasibleBudgetError,
    TargetUnreachableError,
    allocate,
    fit_channel,
    optimize,
)
from insight_service.optimizer import planner as planner_mod
from insight_service.optimizer.allocate import Allocation
from insight_service.optimizer.response import ResponseCurve

START = np.datetime64("2024-01-01")


def history_from_curve(curve: ResponseCurve, *, days=90, mean_spend=200.0, noise=0.05, seed=0, cv=0.5):
    """Daily spend varying around mean_spend, revenue = true curve x (1 + noise * N(0, 1)).

    Like the sample generator, a 90-day burn-in at the opening spend level (mean of the first 60
    days) precedes day 0, so the history starts with carry-over already built up.
    """
    rng = np.random.default_rng(seed)
    spend = mean_spend * rng.lognormal(-0.5 * cv**2, cv, days)
    series = np.concatenate([np.full(90, spend[:60].mean()), spend])
    revenue = curve.daily_revenue(series)[90:] * (1.0 + noise * rng.standard_normal(days))
    return ChannelHistory(curve.channel, START + np.arange(days), spend, revenue)


class LogCurve:
    """r(b) = a * log(1 + b / c): r'(b) = a / (c + b)."""

    def __init__(self, a, c):
        self.a, self.c = a, c

    def predict_monthly(self, b):
        return self.a * math.log1p(b / self.c)

    def marginal_roas(self, b):
        return self.a / (self.c + b)


def hill_monthly(rc: ResponseCurve, budget):
    """Vectorised ResponseCurve.steady_state_revenue."""
    a = np.asarray(budget, float) / 30 / (1 - rc.carryover)
    return 30 * rc.beta * a**rc.shape / (a**rc.shape + rc.half_saturation**rc.shape)


def test_vectorised_helper_matches_response_curve():
    rc = ResponseCurve("x", 700, 120, 2.2, 0.35)
    for b in (0.0, 500.0, 3600.0, 20000.0):
        assert hill_monthly(rc, b) == pytest.approx(rc.steady_state_revenue(b), rel=1e-12)
        assert FittedCurve.from_response_curve(rc).predict_monthly(b) == pytest.approx(rc.steady_state_revenue(b))
        if b > 0:  # ResponseCurve's central difference is not exact at 0
            assert FittedCurve.from_response_curve(rc).marginal_roas(b) == pytest.approx(rc.marginal_roas(b), rel=1e-5)


def shares(plan):
    total = sum(c.recommended_budget for c in plan.channels)
    return {c.channel: c.recommended_budget / total for c in plan.channels}


def true_revenue(curves: dict[str, ResponseCurve], allocation: dict[str, float]) -> float:
    return sum(curves[ch].steady_state_revenue(b) for ch, b in allocation.items())


# a small realistic portfolio used by several tests
PORTFOLIO = [
    (ResponseCurve("search", 1000.0, 300.0, 1.0, 0.0), 200.0),
    (ResponseCurve("social", 800.0, 250.0, 2.0, 0.4), 300.0),
    (ResponseCurve("display", 500.0, 100.0, 0.8, 0.6), 100.0),
    (ResponseCurve("video", 5000.0, 2000.0, 1.2, 0.3), 800.0),
    (ResponseCurve("affiliate", 900.0, 150.0, 1.5, 0.2), 150.0),
]


@pytest.fixture(scope="module")
def portfolio():
    return [history_from_curve(c, mean_spend=m, seed=i) for i, (c, m) in enumerate(PORTFOLIO)]


def current_total(histories):
    return sum(h.current_spend() for h in histories)


# ---------------------------------------------------------------------------------------------
# exact allocation on curves with a closed-form optimum
# ---------------------------------------------------------------------------------------------


def test_allocate_log_curves_matches_closed_form():
    curves = [LogCurve(1000, 200), LogCurve(3000, 500), LogCurve(500, 50)]
    total = 5000.0
    lam = sum(c.a for c in curves) / (total + sum(c.c for c in curves))
    expected = np.array([c.a / lam - c.c for c in curves])
    res = allocate(curves, [0, 0, 0], [total] * 3, total)
    np.testing.assert_allclose(res.budgets, expected, rtol=1e-6)
    assert res.budgets.sum() == pytest.approx(total, rel=1e-12)
    m = np.array([c.marginal_roas(b) for c, b in zip(curves, res.budgets)])
    assert (m.max() - m.min()) / m.max() < 1e-6
    assert res.lam == pytest.approx(lam, rel=1e-6)


def test_allocate_log_curves_with_binding_upper_bound():
    curves = [LogCurve(1000, 200), LogCurve(3000, 500), LogCurve(500, 50)]
    total, cap = 5000.0, 400.0  # channel 3 would want 588.9 > cap
    res = allocate(curves, [0, 0, 0], [total, total, cap], total)
    lam = (1000 + 3000) / (total - cap + 200 + 500)
    np.testing.assert_allclose(res.budgets, [1000 / lam - 200, 3000 / lam - 500, cap], rtol=1e-6)
    assert list(res.free) == [True, True, False]
    assert res.marginal_roas[2] > res.marginal_roas[0]  # the capped channel still earns more at the margin
    assert res.kkt_max_rel_diff < 1e-6


def test_allocate_hill_shape_one_closed_form():
    # Hill with shape 1 and no carry-over: r(b) = 30 beta b / (b + 30 K),
    # r'(b) = lambda  =>  b_i = g_i (B + 30 sum K) / sum g - 30 K_i  with g_i = sqrt(beta_i K_i)
    rcs = [ResponseCurve("a", 900, 300, 1.0, 0.0), ResponseCurve("b", 400, 100, 1.0, 0.0),
           ResponseCurve("c", 1500, 800, 1.0, 0.0)]
    total = 40_000.0
    g = np.array([math.sqrt(r.beta * r.half_saturation) for r in rcs])
    k = np.array([r.half_saturation for r in rcs])
    expected = g * (total + 30 * k.sum()) / g.sum() - 30 * k
    res = allocate([FittedCurve.from_response_curve(r) for r in rcs], [0] * 3, [total] * 3, total)
    np.testing.assert_allclose(res.budgets, expected, rtol=1e-6)


def _hill_s1_setup():
    rcs = [ResponseCurve("a", 900, 300, 1.0, 0.0), ResponseCurve("b", 400, 100, 1.0, 0.0),
           ResponseCurve("c", 1500, 800, 1.0, 0.0)]
    means = [300.0, 400.0, 700.0]  # current split differs from the optimum
    hists = [history_from_curve(r, days=120, mean_spend=m, noise=0.002, seed=10 + i, cv=0.7)
             for i, (r, m) in enumerate(zip(rcs, means))]
    return rcs, hists


def test_optimize_recovers_closed_form_optimum_from_data():
    rcs, hists = _hill_s1_setup()
    total = current_total(hists)
    plan = optimize(hists, total, default_bounds=Bounds(0.1, 5.0), bootstrap_samples=0)
    assert all(c.fit["kind"] == "hill_adstock" for c in plan.channels)
    g = np.array([math.sqrt(r.beta * r.half_saturation) for r in rcs])
    k = np.array([r.half_saturation for r in rcs])
    expected = g * (total + 30 * k.sum()) / g.sum() - 30 * k
    got = np.array([plan.channel(r.channel).recommended_budget for r in rcs])
    assert all(c.bound_hit is None for c in plan.channels)  # interior optimum
    np.testing.assert_allclose(got, expected, rtol=0.005)
    # KKT: channels inside their bounds share one marginal ROAS
    m = np.array([c.marginal_roas_recommended for c in plan.channels if c.bound_hit is None])
    assert (m.max() - m.min()) / m.max() < 1e-3
    assert plan.diagnostics["kkt_max_rel_diff"] < 1e-3


def test_kkt_equal_marginal_roas_for_free_channels(portfolio):
    plan = optimize(portfolio, current_total(portfolio), bootstrap_samples=0)
    free = [c for c in plan.channels if c.bound_hit is None]
    assert len(free) >= 2
    m = np.array([c.marginal_roas_recommended for c in free])
    assert (m.max() - m.min()) / m.max() < 1e-3
    # channels at their lower bound earn less at the margin than the free ones, upper ones more
    for c in plan.channels:
        if c.bound_hit == "lower":
            assert c.marginal_roas_recommended <= m.min() * (1 + 1e-6)
        if c.bound_hit == "upper":
            assert c.marginal_roas_recommended >= m.max() * (1 - 1e-6)
    assert sum(c.recommended_budget for c in plan.channels) == pytest.approx(plan.total_budget, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# S-curves
# ---------------------------------------------------------------------------------------------


def test_s_curves_match_brute_force_grid():
    rng = np.random.default_rng(3)
    for _ in range(25):
        rcs = [ResponseCurve(f"c{i}", rng.uniform(100, 1000), rng.uniform(50, 500), rng.uniform(1.5, 3.0),
                             rng.uniform(0, 0.8)) for i in range(3)]
        curves = [FittedCurve.from_response_curve(r) for r in rcs]
        cur = rng.uniform(1000, 10000, 3)
        total = cur.sum() * rng.uniform(0.5, 1.5)
        share = cur / cur.sum()
        lo, hi = 0.5 * share * total, 1.5 * share * total
        res = allocate(curves, lo, hi, total)
        assert res.budgets.sum() == pytest.approx(total, rel=1e-9)
        assert np.all(res.budgets >= lo - 1e-9 * total) and np.all(res.budgets <= hi + 1e-9 * total)
        grid = np.linspace(0, 1, 401)
        b0 = lo[0] + grid[:, None] * (hi[0] - lo[0])
        b1 = lo[1] + grid[None, :] * (hi[1] - lo[1])
        b2 = total - b0 - b1
        ok = (b2 >= lo[2] - 1e-9) & (b2 <= hi[2] + 1e-9)
        rev = hill_monthly(rcs[0], b0) + hill_monthly(rcs[1], b1) + hill_monthly(rcs[2], np.clip(b2, 0, None))
        best_grid = np.where(ok, rev, -np.inf).max()
        assert res.predicted_revenue >= best_grid * (1 - 1e-9)
        assert res.upper_bound_revenue >= res.predicted_revenue * (1 - 1e-12)


# ---------------------------------------------------------------------------------------------
# invariances and constraints
# ---------------------------------------------------------------------------------------------


def test_channel_order_does_not_change_result(portfolio):
    total = current_total(portfolio) * 1.1
    a = optimize(portfolio, total, bootstrap_samples=30, seed=7)
    b = optimize(list(reversed(portfolio)), total, bootstrap_samples=30, seed=7)
    for name, budget in a.allocation.items():
        assert b.allocation[name] == pytest.approx(budget, rel=1e-9)
        assert b.channel(name).lift_interval == pytest.approx(a.channel(name).lift_interval, rel=1e-9)
    assert b.lift_interval == pytest.approx(a.lift_interval, rel=1e-9)
    assert [c.channel for c in b.channels] == [h.channel for h in reversed(portfolio)]


def test_locked_channel_keeps_its_exact_budget(portfolio):
    total = current_total(portfolio) * 1.25
    cur = {h.channel: h.current_spend() for h in portfolio}
    share = cur["video"] / sum(cur.values())
    plan = optimize(portfolio, total, bounds={"video": Bounds(locked=True)}, bootstrap_samples=0)
    video = plan.channel("video")
    assert video.recommended_budget == pytest.approx(share * total, rel=1e-12)
    assert video.bound_hit == "locked"
    assert sum(plan.allocation.values()) == pytest.approx(total, rel=1e-9)


def test_infeasible_bounds_raise_naming_channels(portfolio):
    total = current_total(portfolio)
    with pytest.raises(InfeasibleBudgetError, match="lower bounds add up to") as err:
        optimize(portfolio, total, default_bounds=Bounds(1.2, 1.5), bootstrap_samples=0)
    for h in portfolio:
        assert h.channel in str(err.value)
    with pytest.raises(InfeasibleBudgetError, match="upper bounds add up to"):
        optimize(portfolio, total, default_bounds=Bounds(0.5, 0.9), bootstrap_samples=0)
    with pytest.raises(InfeasibleBudgetError, match=r"social: lower=1\.4 > upper=1\.1"):
        optimize(portfolio, total, bounds={"social": Bounds(1.4, 1.1)}, bootstrap_samples=0)
    with pytest.raises(InfeasibleBudgetError, match="display.*negative"):
        optimize(portfolio, total, bounds={"display": Bounds(-0.5, 1.1)}, bootstrap_samples=0)
    assert issubclass(InfeasibleBudgetError, ValueError)


@pytest.mark.parametrize("bad", [0.0, -10.0, float("nan"), float("inf"), None, "lots"])
def test_bad_total_budget_raises_value_error(portfolio, bad):
    with pytest.raises(ValueError, match="total_budget"):
        optimize(portfolio, bad, bootstrap_samples=0)


def test_spend_scale_does_not_change_shares(portfolio):
    total = current_total(portfolio)
    scaled = [ChannelHistory(h.channel, h.dates, h.cost * 1000, h.revenue * 1000) for h in portfolio]
    a = optimize(portfolio, total, bootstrap_samples=0)
    b = optimize(scaled, total * 1000, bootstrap_samples=0)
    sa, sb = shares(a), shares(b)
    for name in sa:
        assert sb[name] == pytest.approx(sa[name], abs=1e-3)
    assert b.predicted_lift == pytest.approx(a.predicted_lift * 1000, rel=1e-2)


# ---------------------------------------------------------------------------------------------
# never worse than the current split
# ---------------------------------------------------------------------------------------------


def test_never_worse_than_current_split():
    rng = np.random.default_rng(11)
    for trial in range(4):
        rcs = [ResponseCurve(f"ch{i}", rng.uniform(300, 3000), rng.uniform(80, 600), rng.uniform(0.7, 3.0),
                             rng.uniform(0, 0.6)) for i in range(4)]
        hists = [history_from_curve(r, mean_spend=rng.uniform(50, 600), noise=0.1, seed=100 * trial + i)
                 for i, r in enumerate(rcs)]
        for factor in (0.6, 1.0, 1.6):
            plan = optimize(hists, current_total(hists) * factor, bootstrap_samples=0)
            rec = plan.scenarios["recommended"].predicted_revenue
            cur = plan.scenarios["current"].predicted_revenue
            assert rec >= cur * (1 - 1e-12)
            assert plan.predicted_lift == pytest.approx(rec - cur)


def test_bad_optimiser_result_falls_back_to_current_split(portfolio, monkeypatch):
    def bad_allocate(curves, low, high, total):
        b = np.array(low, float)  # everything at the lower bound except the first channel
        b[0] = total - b[1:].sum()
        rev = sum(float(c.predict_monthly(x)) for c, x in zip(curves, b))
        return Allocation(b, rev, np.zeros(len(b)), None, np.zeros(len(b), bool), rev, 0.0, "broken")

    monkeypatch.setattr(planner_mod, "allocate", bad_allocate)
    total = current_total(portfolio)
    plan = optimize(portfolio, total, bootstrap_samples=0, default_bounds=Bounds(0.0, 10.0))
    assert plan.diagnostics["fell_back_to_current"] is True
    assert any("current split" in w for w in plan.warnings)
    for c in plan.channels:
        assert c.recommended_budget == pytest.approx(plan.scenarios["current"].allocation[c.channel])
    assert plan.predicted_lift == pytest.approx(0.0, abs=1e-6)


def test_channel_without_recent_spend_keeps_plan_marginal_finite(portfolio, monkeypatch):
    """A channel with spend in the lookback but none in the last 30 days has a [0, 0] box; its
    marginal ROAS at 0 is infinite for shape < 1 and must not turn Plan.marginal_roas into NaN."""
    idle = portfolio[0].cost.copy()
    idle[-30:] = 0.0
    paused = ChannelHistory("paused", portfolio[0].dates, idle, portfolio[0].revenue)
    concave = ResponseCurve("paused", 500.0, 100.0, 0.8, 0.0)
    real_fit = planner_mod.fit_channel
    monkeypatch.setattr(planner_mod, "fit_channel", lambda h, **kw: (
        FittedCurve.from_response_curve(concave) if h.channel == "paused" else real_fit(h, **kw)))
    plan = optimize(portfolio + [paused], current_total(portfolio), bootstrap_samples=0)
    assert plan.channel("paused").recommended_budget == 0.0
    assert math.isfinite(plan.marginal_roas)
    assert plan.to_dict()["marginal_roas"] is not None


# ---------------------------------------------------------------------------------------------
# target-efficiency mode
# ---------------------------------------------------------------------------------------------


def test_target_mode_returns_largest_budget_meeting_target(portfolio):
    base = optimize(portfolio, current_total(portfolio), bootstrap_samples=0)
    target = base.marginal_roas * 1.15  # needs a smaller budget than today
    plan = optimize(portfolio, None, target_marginal_roas=target, bootstrap_samples=0)
    assert plan.mode == "target_marginal_roas"
    assert plan.marginal_roas >= target
    assert plan.total_budget < current_total(portfolio)
    assert sum(plan.allocation.values()) == pytest.approx(plan.total_budget, rel=1e-9)
    bigger = optimize(portfolio, plan.total_budget * 1.01, bootstrap_samples=0)
    assert bigger.marginal_roas < target
    same = optimize(portfolio, plan.total_budget, bootstrap_samples=0)
    assert same.allocation == pytest.approx(plan.allocation, rel=1e-9)


def test_target_mode_unreachable_target_raises(portfolio):
    with pytest.raises(TargetUnreachableError, match="target_marginal_roas"):
        optimize(portfolio, None, target_marginal_roas=1e6, bootstrap_samples=0)


# ---------------------------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "truth,mean_spend",
    [
        (ResponseCurve("a", 1000.0, 300.0, 1.0, 0.0), 300.0),
        (ResponseCurve("b", 800.0, 250.0, 2.0, 0.4), 200.0),
        (ResponseCurve("c", 3000.0, 1500.0, 1.4, 0.5), 700.0),
    ],
)
def test_fit_recovers_known_parameters(truth, mean_spend):
    hist = history_from_curve(truth, days=120, mean_spend=mean_spend, noise=0.03, seed=5, cv=0.7)
    fit = fit_channel(hist)
    assert fit.kind == "hill_adstock" and not fit.fallback_used
    p = fit.params
    assert p["carryover"] == pytest.approx(truth.carryover, abs=0.05)
    assert p["shape"] == pytest.approx(truth.shape, rel=0.25)
    assert p["half_saturation"] == pytest.approx(truth.half_saturation, rel=0.25)
    assert fit.r2 > 0.8
    assert 0 <= fit.holdout_error < 0.1
    cur = hist.current_spend()
    for b in (0.7 * cur, cur, 1.3 * cur):
        assert fit.predict_monthly(b) == pytest.approx(truth.steady_state_revenue(b), rel=0.03)
        assert fit.marginal_roas(b) == pytest.approx(truth.marginal_roas(b), rel=0.15)


def test_plan_from_fitted_curves_has_small_regret_on_true_curves(portfolio):
    truth = {c.channel: c for c, _ in PORTFOLIO}
    for factor in (0.8, 1.0, 1.3):
        total = current_total(portfolio) * factor
        plan = optimize(portfolio, total, bootstrap_samples=0)
        cur = {h.channel: h.current_spend() for h in portfolio}
        names = list(cur)
        share = np.array([cur[n] for n in names]) / sum(cur.values())
        best = allocate([FittedCurve.from_response_curve(truth[n]) for n in names],
                        0.7 * share * total, 1.3 * share * total, total)
        regret = 1 - true_revenue(truth, plan.allocation) / best.predicted_revenue
        assert regret < 0.02
        current = plan.scenarios["current"].allocation
        assert true_revenue(truth, plan.allocation) > true_revenue(truth, current)
        # and it beats the naive proportional-ROAS rule on the true curves
        naive = plan.scenarios["proportional_roas"].allocation
        assert true_revenue(truth, plan.allocation) > true_revenue(truth, naive)


def test_holdout_pools_three_rolling_windows():
    truth = ResponseCurve("h", 1000.0, 250.0, 1.0, 0.3)
    fit = fit_channel(history_from_curve(truth, days=90, mean_spend=200, noise=0.05, seed=3))
    assert fit.kind == "hill_adstock"
    assert fit.diagnostics["holdout_windows"] == 3  # days 76-90, 62-76, 48-62; training >= 48 days
    assert fit.holdout_error == pytest.approx(fit.diagnostics["holdout_wape_hill"])
    # only windows whose training part keeps >= 28 days count: 60 days -> trains on 46, 32 (not 18)
    for days, windows in ((60, 2), (50, 1)):
        short = fit_channel(history_from_curve(truth, days=days, mean_spend=200, noise=0.05, seed=3))
        assert short.diagnostics["holdout_windows"] == windows, days


def test_holdout_falls_back_when_a_line_predicts_as_well():
    rng = np.random.default_rng(4)
    spend = 200.0 * rng.lognormal(-0.125, 0.5, 90)
    hist = ChannelHistory("linear", START + np.arange(90), spend, 3.0 * spend)  # revenue exactly 3 x spend
    fit = fit_channel(hist)
    assert fit.kind == "constant_roas" and fit.fallback_reason.startswith("holdout")
    assert "on 3 rolling windows of 14 days" in fit.fallback_reason
    assert fit.params["roas"] == pytest.approx(3.0)


def test_holdout_needs_eight_periods_before_the_line_can_win():
    from insight_service.optimizer.curves import MIN_HOLDOUT_PERIODS, _holdout_verdict

    def verdict(periods):  # the line is exact, the curve is 40 % off: the line halves its error
        y = np.full(periods, 100.0)
        return _holdout_verdict([y], [1.4 * y], [y.copy()], 100.0)

    hill_wape, line_wape, line_wins = verdict(MIN_HOLDOUT_PERIODS - 1)  # e.g. 4 weekly points
    assert (hill_wape, line_wape) == (pytest.approx(0.4), 0.0) and not line_wins
    assert verdict(MIN_HOLDOUT_PERIODS)[2]
    # a tie within the noise keeps the curve however many periods there are
    rng = np.random.default_rng(0)
    y = 100.0 + rng.normal(0, 10, 60)
    assert not _holdout_verdict([y], [y + rng.normal(0, 10, 60)], [y + rng.normal(0, 9.5, 60)], 100.0)[2]


def test_thin_data_falls_back_with_reason():
    truth = ResponseCurve("tiny", 500.0, 100.0, 1.0, 0.2)
    fit = fit_channel(history_from_curve(truth, days=10))
    assert fit.kind == "constant_roas" and fit.fallback_used
    assert fit.fallback_reason.startswith("thin_data")
    assert fit.n_days == 10 and fit.n_spend_days == 10
    assert fit.predict_monthly(1000) == pytest.approx(fit.params["roas"] * 1000)


def test_fallback_channel_moves_only_within_tight_window(portfolio):
    thin = history_from_curve(ResponseCurve("new_channel", 2000.0, 100.0, 1.0, 0.0), days=90, mean_spend=150)
    cost = thin.cost.copy()
    cost[:70] = 0.0  # only 20 days with spend
    thin = ChannelHistory("new_channel", thin.dates, cost, thin.revenue * (cost > 0))
    hists = portfolio + [thin]
    total = current_total(hists)
    plan = optimize(hists, total, default_bounds=Bounds(0.0, 3.0), bootstrap_samples=0)
    ch = plan.channel("new_channel")
    assert ch.fit["fallback_used"] and ch.fit["fallback_reason"].startswith("thin_data")
    share = thin.current_spend() / total
    assert 0.9 * share * total - 1e-6 <= ch.recommended_budget <= 1.1 * share * total + 1e-6
    assert any("new_channel (thin_data)" in w for w in plan.warnings)


def test_noisy_daily_data_is_fitted_weekly():
    truth = ResponseCurve("noisy", 1000.0, 300.0, 1.0, 0.3)
    fit = fit_channel(history_from_curve(truth, days=120, mean_spend=250, noise=1.0, seed=2))
    assert fit.granularity == "weekly"
    assert fit.diagnostics["daily_noise_ratio_train"] > 0.5


def test_channel_without_spend_is_excluded(portfolio):
    dead = ChannelHistory("podcast", portfolio[0].dates, np.zeros(90), np.zeros(90))
    plan = optimize(portfolio + [dead], current_total(portfolio), bootstrap_samples=0)
    assert "podcast" not in plan.allocation
    assert plan.excluded == [{"channel": "podcast", "reason": "no_spend",
                              "detail": "no positive cost in the last 90 days"}]
    assert all("podcast" not in s.allocation for s in plan.scenarios.values())
    fit = fit_channel(dead)
    assert fit.fallback_reason.startswith("no_spend")


# ---------------------------------------------------------------------------------------------
# output, uncertainty, speed
# ---------------------------------------------------------------------------------------------


def test_plan_output_and_json(portfolio):
    total = current_total(portfolio)
    plan = optimize(portfolio, total, bootstrap_samples=50)
    d = json.loads(json.dumps(plan.to_dict()))
    assert set(d["scenarios"]) == {"current", "proportional_roas", "recommended"}
    for s in d["scenarios"].values():
        assert sum(s["allocation"].values()) == pytest.approx(total, abs=0.05)
    ch = d["channels"][0]
    assert set(ch["fit"]) == {"kind", "r2", "holdout_error", "fallback_used", "fallback_reason", "n_days"}
    assert ch["recommended_budget"] == round(ch["recommended_budget"], 2)
    assert ch["roas"] == round(ch["roas"], 4)
    assert d["mode"] == "fixed_budget"
    for c in plan.channels:
        assert c.roas == pytest.approx(c.predicted_revenue / c.recommended_budget)
        assert c.change_pct == pytest.approx(100 * (c.recommended_budget / c.current_spend - 1))
    rec, cur = plan.scenarios["recommended"], plan.scenarios["current"]
    assert plan.predicted_lift == pytest.approx(rec.predicted_revenue - cur.predicted_revenue)
    assert plan.predicted_lift > 0
    low, high = plan.lift_interval
    assert low <= plan.predicted_lift <= high
    for c in plan.channels:
        assert c.lift_interval[0] <= c.lift_interval[1]
