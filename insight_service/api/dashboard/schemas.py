"""Query and response models of ``GET /dashboard``."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from insight_service.api.web.params import (
    MARKETING_PROFIT_DOC,
    POAS_DOC,
    ChannelOrOverall,
    DateRange,
    RangeQuery,
)

Direction = Literal["up", "down", "flat"]


class DashboardQuery(RangeQuery):
    pass


class ChannelMetrics(BaseModel):
    revenue: float
    cost: float
    profit: float = Field(..., description="gross margin: attributed revenue − COGS (before marketing cost)")
    marketing_profit: float = Field(..., description=MARKETING_PROFIT_DOC)
    poas: float | None = Field(..., description=POAS_DOC)
    conversions: float
    sessions: int
    roas: float | None = Field(..., description="revenue / cost (ratio); null when cost is 0")
    cpa: float | None = Field(..., description="cost / conversions; null when conversions is 0")
    conversion_rate: float | None = Field(..., description="conversions / sessions × 100; null when no sessions")


class Change(BaseModel):
    absolute: float | None = Field(..., description="current − previous")
    percentage: float | None = Field(
        ..., description="absolute / |previous| × 100; null when previous is 0 or null")
    direction: Direction | None = Field(..., description="null when either value is null")


class Comparison(BaseModel):
    current: float | None
    previous: float | None
    change: Change


class ChannelComparison(BaseModel):
    revenue: Comparison
    cost: Comparison
    profit: Comparison
    roas: Comparison
    marketing_profit: Comparison = Field(..., description=MARKETING_PROFIT_DOC)
    poas: Comparison = Field(..., description=POAS_DOC)


class Series(BaseModel):
    revenue: list[float]
    cost: list[float]
    conversions: list[float]


class Timeseries(BaseModel):
    dates: list[dt.date] = Field(..., description="every day of the window; the series are aligned to it")
    channels: dict[ChannelOrOverall, Series]


class RevenueProjection(BaseModel):
    month_to_date: float = Field(..., description="actual revenue from the month's first day to as_of")
    projected: float = Field(..., description="month_to_date + the forecast of the month's remaining days")
    lower_80: float
    upper_80: float = Field(..., description="80 % interval of the month's total (daily errors as independent)")
    previous_month: float | None = Field(None, description="the whole previous month's revenue")


class CostProjection(BaseModel):
    month_to_date: float
    projected: float = Field(..., description="month_to_date + the forecast of the month's remaining days")
    lower_80: float
    upper_80: float
    budget: float | None = Field(None, description="the month's budget (fct_budget_utilization; overall: the "
                                                   "sum of the channels'); null without one")
    projected_utilization_pct: float | None = Field(None, description="projected / budget x 100")
    pacing: Literal["under", "on", "over"] | None = Field(
        None, description="by projected spend: under < 90 %, over > 110 % of budget (the marts' bands)")


class ChannelProjection(BaseModel):
    revenue: RevenueProjection
    cost: CostProjection


class Projections(BaseModel):
    month_start: dt.date
    month_end: dt.date
    as_of: dt.date = Field(..., description="the last data day the stored forecast continues")
    days_elapsed: int
    days_in_month: int
    forecast_fitted_at: dt.datetime
    channels: dict[ChannelOrOverall, ChannelProjection]


class DashboardData(BaseModel):
    channels: dict[ChannelOrOverall, ChannelMetrics]
    vs_previous_period: dict[ChannelOrOverall, ChannelComparison]
    timeseries: Timeseries
    date_range: DateRange
    attribution_model: str = Field(..., description="model of the conversions/revenue (the marts' default)")
    projections: Projections | None = Field(
        None, description="month-to-date and end-of-month projections of revenue and spend against the channel "
                          "budgets, for the month of the store's last data day (whatever the window): actuals "
                          "plus the stored forecast (GET /forecast); null before the refresh has fitted one")
