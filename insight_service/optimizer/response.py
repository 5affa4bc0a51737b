"""The Hill-on-adstock response of revenue to spend: the optimizer's model of a channel.

    adstock[t] = spend[t] + carryover * adstock[t-1]
    revenue[t] = beta * adstock[t]**shape / (adstock[t]**shape + half_saturation**shape)

The optimizer fits its parameters (curves.py) and plans budgets on them; the sample generator
draws its true revenue from the same function (sample_data/plan.py), which is why it lives
here and the generator imports it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

DAYS_PER_MONTH = 30


def adstock(daily_spend, carryover: float) -> np.ndarray:
    """Geometric carry-over from a zero state: out[t] = spend[t] + carryover * out[t-1]."""
    spend = np.asarray(daily_spend, dtype=float)
    out = np.empty_like(spend)
    carried = 0.0
    for i, x in enumerate(spend):
        carried = x + carryover * carried
        out[i] = carried
    return out


@dataclass(frozen=True)
class ResponseCurve:
    channel: str
    beta: float  # daily revenue at full saturation (store currency)
    half_saturation: float  # adstocked daily spend giving beta / 2
    shape: float  # Hill exponent; > 1 gives an S-curve, <= 1 pure diminishing returns
    carryover: float  # geometric adstock decay in [0, 1)

    def adstock(self, daily_spend) -> np.ndarray:
        return adstock(daily_spend, self.carryover)

    def hill(self, adstocked) -> np.ndarray:
        a = np.maximum(np.asarray(adstocked, dtype=float), 0.0)
        num = a**self.shape
        return self.beta * num / (num + self.half_saturation**self.shape)

    def daily_revenue(self, daily_spend) -> np.ndarray:
        """Incremental revenue per day for a spend series (carry-over included)."""
        return self.hill(self.adstock(daily_spend))

    def steady_state_revenue(self, monthly_budget: float, days: int = DAYS_PER_MONTH) -> float:
        """Revenue over `days` when `monthly_budget` is spent evenly and has been for long."""
        daily = monthly_budget / days
        return float(days * self.hill(daily / (1.0 - self.carryover)))

    def marginal_roas(self, monthly_budget: float, days: int = DAYS_PER_MONTH, eps: float = 1e-3) -> float:
        """d revenue / d budget at `monthly_budget` (steady state), by central difference."""
        h = max(eps, abs(monthly_budget) * 1e-6)
        lo = max(monthly_budget - h, 0.0)
        return (self.steady_state_revenue(monthly_budget + h, days) - self.steady_state_revenue(lo, days)) / (
            monthly_budget + h - lo
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ResponseCurve:
        return cls(**{k: d[k] for k in ("channel", "beta", "half_saturation", "shape", "carryover")})
