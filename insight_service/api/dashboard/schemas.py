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


class DashboardData(BaseModel):
    channels: dict[ChannelOrOverall, ChannelMetrics]
    vs_previous_period: dict[ChannelOrOverall, ChannelComparison]
    timeseries: Timeseries
    date_range: DateRange
    attribution_model: str = Field(..., description="model of the conversions/revenue (the marts' default)")
