"""Scores of forecasts against the actuals that followed: MASE against seasonal naive, sMAPE and the
empirical coverage of the 80 % and 95 % intervals, per (metric, channel).

``MASE vs seasonal naive`` here is the forecast's mean absolute error divided by the mean absolute
error, on the same days, of the seasonal-naive forecast made at the same origin (the last week
repeated): below 1 the forecaster beats the baseline. Used by bench/forecast_backtest.py and its test.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import numpy as np

from insight_service.forecast.models import Regressor, SeriesForecast, forecast_series, seasonal_naive


@dataclasses.dataclass
class Score:
    """Sums over every scored day of one (metric, channel), so origins and stores add up."""

    abs_error: float = 0.0
    naive_abs_error: float = 0.0
    smape_sum: float = 0.0
    inside_80: int = 0
    inside_95: int = 0
    days: int = 0
    models: dict[str, int] = dataclasses.field(default_factory=dict)

    def add(self, actual: np.ndarray, forecast: SeriesForecast, naive: np.ndarray) -> None:
        n = len(actual)
        value = forecast.value[:n]
        self.abs_error += float(np.abs(actual - value).sum())
        self.naive_abs_error += float(np.abs(actual - naive[:n]).sum())
        denominator = np.abs(actual) + np.abs(value)
        # both 0: a perfect forecast of a zero day, not an undefined one
        self.smape_sum += float(np.where(denominator > 0, 2 * np.abs(actual - value) / np.where(
            denominator > 0, denominator, 1), 0).sum())
        self.inside_80 += int(((actual >= forecast.lower_80[:n]) & (actual <= forecast.upper_80[:n])).sum())
        self.inside_95 += int(((actual >= forecast.lower_95[:n]) & (actual <= forecast.upper_95[:n])).sum())
        self.days += n
        self.models[forecast.model] = self.models.get(forecast.model, 0) + 1

    def merge(self, other: Score) -> None:
        for field in ("abs_error", "naive_abs_error", "smape_sum", "inside_80", "inside_95", "days"):
            setattr(self, field, getattr(self, field) + getattr(other, field))
        for model, count in other.models.items():
            self.models[model] = self.models.get(model, 0) + count

    @property
    def mase(self) -> float | None:
        return self.abs_error / self.naive_abs_error if self.naive_abs_error > 0 else None

    @property
    def smape(self) -> float | None:
        return 100 * self.smape_sum / self.days if self.days else None

    @property
    def coverage_80(self) -> float | None:
        return 100 * self.inside_80 / self.days if self.days else None

    @property
    def coverage_95(self) -> float | None:
        return 100 * self.inside_95 / self.days if self.days else None


def score_forecast(actual: np.ndarray, forecast: SeriesForecast, history: np.ndarray) -> Score:
    score = Score()
    score.add(np.asarray(actual, dtype=float), forecast, seasonal_naive(history, len(actual)))
    return score


def rolling_origin(y: np.ndarray, origins: Iterable[int], horizon: int, regressor: Regressor | None = None,
                   first_day: dt.date | None = None) -> Score:
    """Fit on ``y[:origin]``, score the next ``horizon`` days, for each origin; with the series' known-future
    regressor (as known at each origin) and its first day's date when given, as the refresh fits it."""
    total = Score()
    for origin in origins:
        history, actual = y[:origin], y[origin:origin + horizon]
        if len(actual) < horizon:
            continue
        last_day = first_day + dt.timedelta(days=origin - 1) if first_day is not None else None
        total.merge(score_forecast(actual, forecast_series(history, horizon, regressor, last_day), history))
    return total


def origins_for(days: int, count: int, horizon: int, step: int | None = None) -> list[int]:
    """``count`` origins, ``step`` days apart (default: horizon), the last leaving ``horizon`` days to score."""
    step = step or horizon
    return [days - horizon - step * k for k in range(count - 1, -1, -1) if days - horizon - step * k > 0]
