"""Query and response models of ``GET /funnel``."""
from __future__ import annotations

from pydantic import BaseModel, Field

from insight_service.api.web.params import ChannelOrOverall, DateRange, RangeQuery


class FunnelQuery(RangeQuery):
    pass


class FunnelSteps(BaseModel):
    impressions: int
    clicks: int
    sessions: int
    conversions: float = Field(..., description="attributed conversions (the marts' default model; can be fractional)")
    click_rate: float | None = Field(..., description="clicks / impressions × 100; null when no impressions")
    session_rate: float | None = Field(
        ..., description="sessions / clicks × 100; null when no clicks. Can exceed 100: sessions also come "
                         "from visits without a measured click (organic search, typed URLs)")
    conversion_rate: float | None = Field(..., description="conversions / sessions × 100; null when no sessions")


class FunnelData(BaseModel):
    date_range: DateRange
    channels: dict[ChannelOrOverall, FunnelSteps] = Field(
        ..., description="every channel (zeros without rows in the window) and `overall` (the store rollup)")
