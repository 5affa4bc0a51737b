"""The forecasting engine (insight_service/forecast/models.py) on synthetic series with a known weekly
pattern, intermittent series and edge cases, and the small version of the backtest (fixed seed): the
forecaster beats seasonal naive and its intervals cover what they say."""
from __future__ import annotations

import numpy as np
import pytest

from insight_service.forecast import backtest
from insight_service.forecast.models import MIN_HISTORY_DAYS, forecast_series, is_intermittent

WEEK = np.array([1.3, 1.15, 1.0, 0.95, 0.9, 0.7, 0.85])


def weekly_series(rng: np.random.Generator, days: int = 420, level: float = 200.0, noise: float = 0.2,
                  trend: float = 0.0005) -> np.ndarray:
    t = np.arange(days)
    mean = level * (1 + trend * t) * WEEK[t % 7]
    return np.maximum(0.0, mean * (1 + noise * rng.standard_normal(days)))


def intermittent_series(rng: np.random.Generator, days: int = 300) -> np.ndarray:
    # about 60 % zero days, lumpy positive days
    return np.where(rng.random(days) < 0.4, rng.gamma(2.0, 40.0, days), 0.0)


def _ordered(f) -> bool:
    return bool(np.all(f.lower_95 <= f.lower_80) and np.all(f.lower_80 <= f.value)
                and np.all(f.value <= f.upper_80) and np.all(f.upper_80 <= f.upper_95) and np.all(f.lower_95 >= 0))


def test_weekly_series_forecast_follows_the_weekday_pattern():
    y = weekly_series(np.random.default_rng(1), noise=0.05)
    f = forecast_series(y, 28)
    assert f.model in ("ets", "theta", "ets+theta", "weekday_mean")
    assert f.value.shape == (28,) and _ordered(f)
    # the peak weekday stays the peak: the forecast of day len(y) + k has weekday (len(y) + k) % 7
    weekdays = (len(y) + np.arange(28)) % 7
    by_weekday = [f.value[weekdays == d].mean() for d in range(7)]
    assert int(np.argmax(by_weekday)) == int(np.argmax(WEEK))
    assert int(np.argmin(by_weekday)) == int(np.argmin(WEEK))


def test_backtest_beats_seasonal_naive_with_calibrated_intervals():
    """The small backtest of issue 18: rolling origins, 30-day horizon, fixed seed."""
    rng = np.random.default_rng(18)
    total = backtest.Score()
    for _ in range(6):
        y = weekly_series(rng, level=float(rng.uniform(50, 500)), noise=0.3)
        total.merge(backtest.rolling_origin(y, backtest.origins_for(len(y), 3, 30), 30))
    assert total.days == 6 * 3 * 30
    assert total.mase < 0.9, total.mase
    assert abs(total.coverage_80 - 80) <= 5, total.coverage_80
    assert abs(total.coverage_95 - 95) <= 5, total.coverage_95


def test_intermittent_series_gets_an_intermittent_model_and_non_negative_bounds():
    y = intermittent_series(np.random.default_rng(3))
    assert is_intermittent(y)
    f = forecast_series(y, 30)
    assert f.model in ("croston_sba", "imapa", "weekday_mean")
    assert _ordered(f)
    assert np.all(f.lower_95 == 0)  # most days are 0: the 95 % interval must include 0
    assert 0 < f.value.mean() < y.max()
    scored = backtest.rolling_origin(y, backtest.origins_for(len(y), 3, 30), 30)
    assert scored.coverage_95 >= 85


def test_short_and_empty_series():
    with pytest.raises(ValueError, match="too little history"):
        forecast_series(np.ones(MIN_HISTORY_DAYS - 1), 30)
    f = forecast_series(np.zeros(100), 30)
    assert f.model == "zero" and not f.value.any() and not f.upper_95.any()
    # only just long enough: no calibration window fits, the fallback still gives ordered intervals
    g = forecast_series(weekly_series(np.random.default_rng(5), days=MIN_HISTORY_DAYS), 90)
    assert g.value.shape == (90,) and _ordered(g)


def test_scores():
    from insight_service.forecast.models import SeriesForecast

    actual = np.array([10.0, 0.0, 5.0])
    f = SeriesForecast("x", np.array([8.0, 0.0, 5.0]), np.array([7.0, 0.0, 6.0]), np.array([9.0, 1.0, 6.0]),
                       np.array([0.0, 0.0, 0.0]), np.array([20.0, 2.0, 9.0]))
    s = backtest.Score()
    s.add(actual, f, naive=np.array([0.0, 0.0, 1.0]))
    assert s.mase == pytest.approx(2 / 14)
    assert s.smape == pytest.approx(100 * (2 * 2 / 18) / 3)  # the 0/0 day counts as exact
    assert s.coverage_80 == pytest.approx(100 * 1 / 3)       # day 3 (5 < 6) is outside the 80 % interval
    assert s.coverage_95 == 100


def test_calibration_factor_widens_when_the_latest_windows_err_more():
    from insight_service.forecast.models import FACTOR_RANGE, LATE_WINDOWS, _calibration_factor

    rng = np.random.default_rng(7)
    steady = rng.standard_normal((12, 30)) * 0.2
    assert 1.0 <= _calibration_factor(steady, 80) <= 1.15
    growing = steady.copy()
    growing[-LATE_WINDOWS:] *= 2.5          # the recent windows' errors are 2.5x the older ones
    widened = _calibration_factor(growing, 80)
    assert 1.3 <= widened <= FACTOR_RANGE[1]
    calmer = steady.copy()
    calmer[-LATE_WINDOWS:] *= 0.3
    assert _calibration_factor(calmer, 80) == FACTOR_RANGE[0] == 1.0  # it never narrows


def test_calibration_factor_recovers_coverage_on_a_heteroscedastic_series(monkeypatch):
    """Noise growing over the history (errors growing faster than the level): the older windows'
    offsets under-cover the next 30 days; the factor from the latest windows gets part of the 95 %
    interval's coverage back."""
    from insight_service.forecast import models

    def coverage() -> tuple[float, float]:
        rng = np.random.default_rng(21)
        total = backtest.Score()
        for _ in range(4):
            days = 480
            t = np.arange(days)
            y = np.maximum(0.0, 200 * WEEK[t % 7] * (1 + np.linspace(0.05, 0.45, days) * rng.standard_normal(days)))
            total.merge(backtest.rolling_origin(y, backtest.origins_for(days, 3, 30), 30))
        return total.coverage_80, total.coverage_95

    with_factor = coverage()
    monkeypatch.setattr(models, "FACTOR_RANGE", (1.0, 1.0))
    without = coverage()
    assert with_factor[1] >= without[1] + 3 and with_factor[1] <= 100, (with_factor, without)
    assert with_factor[0] == without[0]  # the factor widens the 95 % interval only (FACTOR_LEVELS)
