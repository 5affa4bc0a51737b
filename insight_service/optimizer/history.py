"""Input type of the budget optimizer: one channel's daily cost and attributed revenue."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CURRENT_WINDOW_DAYS = 30  # "current spend" = cost over the last 30 days of the history


@dataclass
class ChannelHistory:
    """Daily history of one paid channel.

    dates:   datetime64[D], consecutive days, oldest first
    cost:    daily cost (zeros allowed; negative days are clipped to 0 for fitting and spend)
    revenue: daily attributed revenue
    """

    channel: str
    dates: np.ndarray
    cost: np.ndarray
    revenue: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.channel, str) or not self.channel:
            raise ValueError("ChannelHistory.channel must be a non-empty string")
        self.dates = np.asarray(self.dates, dtype="datetime64[D]")
        self.cost = np.asarray(self.cost, dtype=float)
        self.revenue = np.asarray(self.revenue, dtype=float)
        n = self.dates.shape[0] if self.dates.ndim == 1 else -1
        for name, arr in (("dates", self.dates), ("cost", self.cost), ("revenue", self.revenue)):
            if arr.ndim != 1 or arr.shape[0] != n:
                raise ValueError(f"channel {self.channel!r}: {name} must be 1-D with one value per day ({n} dates)")
        if n == 0:
            raise ValueError(f"channel {self.channel!r}: empty history")
        if not (np.all(np.isfinite(self.cost)) and np.all(np.isfinite(self.revenue))):
            raise ValueError(f"channel {self.channel!r}: cost and revenue must be finite (no NaN/inf)")
        if n > 1 and not np.all(np.diff(self.dates).astype(np.int64) == 1):
            raise ValueError(f"channel {self.channel!r}: dates must be consecutive days, oldest first")

    @property
    def n_days(self) -> int:
        return int(self.dates.shape[0])

    @property
    def spend(self) -> np.ndarray:
        """Cost with negative days clipped to 0."""
        return np.clip(self.cost, 0.0, None)

    def current_spend(self, days: int = CURRENT_WINDOW_DAYS) -> float:
        """Cost over the last `days` days (negative days clipped)."""
        return float(self.spend[-days:].sum())

    def window(self, days: int | None) -> slice:
        """Slice of the last `days` days (the whole history when None or longer)."""
        if days is None or days >= self.n_days:
            return slice(0, self.n_days)
        return slice(self.n_days - int(days), self.n_days)
