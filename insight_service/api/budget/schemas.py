"""Query and response models of ``GET /budget/optimize``, and the mini-language of its ``bounds`` and
``lock`` parameters (``bounds=ads:0.5:1.5,seo:0.8:1.2``, ``lock=email,seo``)."""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo, WithJsonSchema, field_validator, model_validator

from insight_service.api.web.params import (
    Channel,
    QueryModel,
)
from insight_service.core.periods import MIN_DATE
from insight_service.core.vocabulary import CHANNELS


def _finite_non_negative(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{what} must be a finite number >= 0")
    return number


BUDGET_MAX_TOTAL = 1e12
BUDGET_SYNTAX = (
    "`bounds=ads:0.5:1.5,seo:0.8:1.2`: per channel `channel:lower:upper`, multiples of the channel's current "
    "share (its share of the last 30 days' spend) of total_budget, so `ads:0.5:1.5` keeps ads between 50% "
    "and 150% of its share; lower <= upper, both >= 0; an empty lower or upper (`ads::2`) keeps the default "
    "(0.7 / 1.3, which also applies to unlisted channels). `lock=email,seo`: these channels keep exactly "
    "their current share. A channel must be part of the plan (positive spend in the lookback window)."
)


def _budget_items(value: Any, what: str) -> list[str]:
    if not isinstance(value, str):
        raise ValueError(f"must be text like {what}")
    if len(value) > 500:
        raise ValueError("is longer than 500 characters")
    items = [item.strip() for item in value.strip().lower().split(",")]
    if not items or any(not item for item in items):
        raise ValueError(f"has an empty item; expected e.g. {what}")
    return items


def _budget_channel(name: str, seen: set[str]) -> str:
    if name not in CHANNELS:
        raise ValueError(f"unknown channel {name[:40]!r}; channels: {', '.join(CHANNELS)}")
    if name in seen:
        raise ValueError(f"channel {name!r} is given more than once")
    seen.add(name)
    return name


def _parse_budget_bounds(value: Any) -> Any:
    if isinstance(value, dict):
        return value
    out: dict[str, tuple[float | None, float | None]] = {}
    for item in _budget_items(value, "ads:0.5:1.5,seo:0.8:1.2"):
        parts = item.split(":")
        if len(parts) != 3:
            raise ValueError(f"item {item[:40]!r} must be channel:lower:upper, e.g. ads:0.5:1.5")
        channel = _budget_channel(parts[0].strip(), set(out))
        lower = _finite_non_negative(parts[1].strip(), f"{channel} lower") if parts[1].strip() else None
        upper = _finite_non_negative(parts[2].strip(), f"{channel} upper") if parts[2].strip() else None
        if lower is not None and upper is not None and lower > upper:
            raise ValueError(f"{channel}: lower {lower:g} is above upper {upper:g}")
        out[channel] = (lower, upper)
    return out


def _parse_budget_lock(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    seen: set[str] = set()
    return tuple(_budget_channel(item, seen) for item in _budget_items(value, "email,seo"))


BudgetBounds = Annotated[
    dict[str, tuple[float | None, float | None]],
    BeforeValidator(_parse_budget_bounds),
    WithJsonSchema({"type": "string", "maxLength": 500, "example": "ads:0.5:1.5,seo:0.8:1.2",
                    "pattern": r"^[A-Za-z_]+:[^:,]*:[^:,]*(,[A-Za-z_]+:[^:,]*:[^:,]*)*$"}),
]
BudgetLock = Annotated[
    tuple[str, ...],
    BeforeValidator(_parse_budget_lock),
    WithJsonSchema({"type": "string", "maxLength": 200, "example": "email,seo",
                    "pattern": r"^[A-Za-z_]+(,[A-Za-z_]+)*$"}),
]


class BudgetQuery(QueryModel):
    total_budget: float | None = Field(
        None, gt=0, le=BUDGET_MAX_TOTAL, allow_inf_nan=False,
        description="budget to split over the next 30 days (store currency, > 0); required unless target_roas")
    lookback_days: int = Field(90, ge=28, le=365,
                               description="days of history (ending at the last data date) to fit the curves")
    bounds: BudgetBounds | None = Field(None, description="per-channel bounds. " + BUDGET_SYNTAX)
    lock: BudgetLock | None = Field(None, description="channels kept at their current share, e.g. `email,seo`")
    target_roas: float | None = Field(
        None, gt=0, le=1e6, allow_inf_nan=False,
        description="target-efficiency mode (instead of total_budget): the largest budget (up to 3x the current "
                    "30-day spend) whose marginal ROAS (revenue of the next unit of budget) stays >= target_roas")

    @field_validator("lock")
    @classmethod
    def _lock_not_bounded(cls, value: tuple[str, ...] | None, info: ValidationInfo) -> tuple[str, ...] | None:
        both = sorted(set(value or ()) & set(info.data.get("bounds") or {}))
        if both:
            raise ValueError(f"channel {both[0]!r} is both locked and bounded; give it in one of lock or bounds")
        return value

    @field_validator("target_roas")
    @classmethod
    def _target_or_total(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and info.data.get("total_budget") is not None:
            raise ValueError("give either total_budget (fixed budget) or target_roas (target mode), not both")
        return value

    @model_validator(mode="after")
    def _total_required(self) -> BudgetQuery:
        if self.total_budget is None and self.target_roas is None:
            raise ValueError("total_budget is required (unless target_roas is given)")
        return self


class ScenarioAllocation(BaseModel):
    allocation: dict[Channel, float] = Field(..., description="channel -> budget; sums to total_budget to the cent")
    predicted_revenue: float = Field(..., description="predicted 30-day revenue of the allocation (fitted curves)")


class BudgetFit(BaseModel):
    kind: Literal["hill_adstock", "constant_roas"]
    r2: float | None
    holdout_error: float | None = Field(..., description="WAPE of the kept model on the holdout days")
    fallback_used: bool
    fallback_reason: str | None = Field(..., description="`code: detail` when constant ROAS is used")
    n_days: int


class BudgetChannel(BaseModel):
    channel: Channel
    current_spend: float = Field(..., description="cost over the last 30 days")
    recommended_budget: float
    change_pct: float | None = Field(..., description="vs current_spend, percent; null when current_spend is 0")
    predicted_revenue: float
    roas: float | None
    marginal_roas_current: float | None
    marginal_roas_recommended: float | None
    bound_hit: Literal["lower", "upper", "locked"] | None
    fit: BudgetFit | None
    lift_interval: list[float | None] | None = Field(
        None, description="10th-90th percentile of the predicted lift vs the current split (block bootstrap)")
    predicted_lift: float | None = None
    bounds: list[float | None] | None = Field(None, description="effective [low, high] budget box")


class BudgetExcluded(BaseModel):
    channel: str
    reason: str = Field(..., examples=["no_spend"])
    detail: str


class BudgetData(BaseModel):
    total_budget: float = Field(..., description="budget split over the next 30 days (the found one in target mode)")
    channels: list[BudgetChannel]
    scenarios: dict[Literal["current", "proportional_roas", "recommended"], ScenarioAllocation] = Field(
        ..., description="`current`: the last 30 days' split scaled to total_budget; `proportional_roas`: "
                         "budget proportional to each channel's average ROAS; `recommended`: the plan")
    mode: Literal["fixed_budget", "target_marginal_roas"] | None = None
    target_marginal_roas: float | None = None
    marginal_roas: float | None = Field(None, description="revenue of the next unit of total budget")
    predicted_lift: float | None = Field(None, description="recommended - current predicted revenue")
    lift_interval: list[float | None] | None = None
    excluded: list[BudgetExcluded] = Field(default_factory=list,
                                           description="channels not in the plan (e.g. no spend)")
    warnings: list[str] = Field(default_factory=list)
    diagnostics: dict[str, Any] | None = None
    lookback: dict[str, Any] | None = Field(None, description="history used: start_date, end_date, days")
    current_window: dict[str, Any] | None = Field(None, description="the 30 days of current_spend")
    bounds_used: dict[str, Any] | None = Field(None, description="per channel: lower/upper multiples, locked")
    attribution_model: str | None = Field(None, description="model of the revenue the curves are fitted on")


# ---- GET /budget/utilization ---------------------------------------------------------------------

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


def _parse_month(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = _MONTH_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError("must be a month YYYY-MM, e.g. 2024-03")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{value.strip()!r} has no month {month}")
    if year < MIN_DATE.year:
        raise ValueError(f"must be on or after {MIN_DATE.year}-01")
    return dt.date(year, month, 1)


Month = Annotated[
    dt.date,
    BeforeValidator(_parse_month),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$", "example": "2024-03"}),
]


class UtilizationQuery(QueryModel):
    month: Month | None = Field(None, description="calendar month YYYY-MM (store-local); default: the month of the "
                                                  "store's last data date")


class UtilizationChannel(BaseModel):
    channel: str
    monthly_budget: float | None = Field(..., description="the channel's active budgets; null when it has none")
    spent: float
    utilization_pct: float | None = Field(..., description="spent / monthly_budget × 100; null without a budget")
    projected_spend: float = Field(..., description="current month: linear pace to the month's end; past: spent")
    pacing: Literal["under", "on", "over"] | None = Field(
        ..., description="projected vs budget: under < 90 %, over > 110 %; null without a positive budget")
    days_elapsed: int
    days_in_month: int


class UtilizationTotals(BaseModel):
    monthly_budget: float = Field(..., description="sum of the channels' budgets (channels without one count 0)")
    spent: float
    projected_spend: float


class UtilizationData(BaseModel):
    month: str = Field(..., examples=["2024-03"])
    channels: list[UtilizationChannel]
    totals: UtilizationTotals
