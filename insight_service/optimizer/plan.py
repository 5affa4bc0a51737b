"""Output types of the budget optimizer and their JSON form."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def money(x: float | None) -> float | None:
    """Round to cents; None for missing or non-finite values."""
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), 2) + 0.0


def ratio(x: float | None) -> float | None:
    """Round to 4 decimals; None for missing or non-finite values."""
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), 4) + 0.0


def _interval(iv: tuple[float, float] | None) -> list[float | None] | None:
    return None if iv is None else [money(iv[0]), money(iv[1])]


@dataclass
class Scenario:
    allocation: dict[str, float]
    predicted_revenue: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "allocation": {k: money(v) for k, v in self.allocation.items()},
            "predicted_revenue": money(self.predicted_revenue),
        }


@dataclass
class ChannelPlan:
    channel: str
    current_spend: float  # cost over the last 30 days
    recommended_budget: float
    change_pct: float | None  # percent vs current_spend; None when current_spend is 0
    predicted_revenue: float  # predicted revenue of recommended_budget over 30 days
    roas: float | None  # predicted_revenue / recommended_budget; None when the budget is 0
    marginal_roas_current: float  # at current_spend
    marginal_roas_recommended: float
    bound_hit: str | None  # "lower" | "upper" | "locked" | None
    fit: dict[str, Any]  # kind, r2, holdout_error, fallback_used, fallback_reason, n_days
    lift_interval: tuple[float, float] | None  # 10th-90th pct of predicted lift vs the current split
    predicted_lift: float = 0.0  # predicted revenue(recommended) - predicted revenue(current split)
    bounds: tuple[float, float] = (0.0, 0.0)  # effective [low, high] budget box

    def to_dict(self) -> dict[str, Any]:
        fit = dict(self.fit)
        fit["r2"] = ratio(fit.get("r2"))
        fit["holdout_error"] = ratio(fit.get("holdout_error"))
        return {
            "channel": self.channel,
            "current_spend": money(self.current_spend),
            "recommended_budget": money(self.recommended_budget),
            "change_pct": ratio(self.change_pct),
            "predicted_revenue": money(self.predicted_revenue),
            "roas": ratio(self.roas),
            "marginal_roas_current": ratio(self.marginal_roas_current),
            "marginal_roas_recommended": ratio(self.marginal_roas_recommended),
            "bound_hit": self.bound_hit,
            "fit": fit,
            "lift_interval": _interval(self.lift_interval),
            "predicted_lift": money(self.predicted_lift),
            "bounds": [money(self.bounds[0]), money(self.bounds[1])],
        }


@dataclass
class Plan:
    total_budget: float
    mode: str  # "fixed_budget" | "target_marginal_roas"
    channels: list[ChannelPlan]
    scenarios: dict[str, Scenario]  # "current", "proportional_roas", "recommended"
    excluded: list[dict[str, str]]  # [{"channel", "reason", "detail"}]
    predicted_lift: float  # recommended - current split, same total
    lift_interval: tuple[float, float] | None  # 10th-90th percentile, block bootstrap
    marginal_roas: float | None  # revenue of the next unit of total budget (bounds scale with it)
    target_marginal_roas: float | None = None
    warnings: list[str] = field(default_factory=list)
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def channel(self, name: str) -> ChannelPlan:
        for c in self.channels:
            if c.channel == name:
                return c
        raise KeyError(name)

    @property
    def allocation(self) -> dict[str, float]:
        return {c.channel: c.recommended_budget for c in self.channels}

    def to_dict(self) -> dict[str, Any]:
        diag = {}
        for k, v in self.diagnostics.items():
            if isinstance(v, float):
                is_money = any(w in k for w in ("revenue", "gap", "budget", "spend"))
                diag[k] = money(v) if is_money else ratio(v)
            else:
                diag[k] = v
        return {
            "total_budget": money(self.total_budget),
            "mode": self.mode,
            "target_marginal_roas": ratio(self.target_marginal_roas),
            "marginal_roas": ratio(self.marginal_roas),
            "predicted_lift": money(self.predicted_lift),
            "lift_interval": _interval(self.lift_interval),
            "channels": [c.to_dict() for c in self.channels],
            "scenarios": {k: s.to_dict() for k, s in self.scenarios.items()},
            "excluded": [dict(e) for e in self.excluded],
            "warnings": list(self.warnings),
            "diagnostics": diag,
        }
