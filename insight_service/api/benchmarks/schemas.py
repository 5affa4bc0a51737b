"""Query and response models of ``GET /benchmarks/<channel>``."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from insight_service.api.web.params import (
    Channel,
    DateRange,
    RangeQuery,
    lowercase,
)

_INDUSTRY_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
Rating = Literal["poor", "average", "good", "excellent", "insufficient_data"]
Industry = Annotated[
    str,
    BeforeValidator(lowercase),
    Field(pattern=_INDUSTRY_RE.pattern, description="benchmark industry, e.g. `fashion`; default: the store's"),
]


class BenchmarksQuery(RangeQuery):
    industry: Industry | None = None


class BenchmarkRange(BaseModel):
    poor: float | None
    average: float | None
    good: float | None
    excellent: float | None


class BenchmarkMetric(BaseModel):
    value: float | None
    rating: Rating
    direction: Literal["higher_is_better", "lower_is_better"] | None
    benchmarks: BenchmarkRange | None
    industry: str | None = Field(..., description="industry of the range (the requested one, or `general`)")
    unit: str | None = None
    currency: str | None = Field(None, description="the store's currency (the unit of `value` for money metrics)")
    benchmark_currency: str | None = Field(
        None, description="currency of the band's thresholds for money metrics (cpc, cpa); null for rates and ratios")
    fx_rate: float | None = Field(
        None, description="benchmark_currency per 1 unit of currency applied before rating (1: same currency; "
                          "null: not money, or no rate)")
    fx_rate_date: dt.date | None = Field(
        None, description="month (first day) of the monthly average rate used: the latest on or before start_date")
    value_in_benchmark_currency: float | None = Field(
        None, description="the value the band is compared with (money converted into benchmark_currency)")
    rating_reason: Literal["no_value", "no_fx_rate", "unknown_direction"] | None = Field(
        None, description="why the rating is insufficient_data (null when rated)")


class BenchmarksData(BaseModel):
    channel: Channel
    industry: str = Field(..., description="requested industry, or the store's")
    metrics: dict[str, BenchmarkMetric]
    date_range: DateRange
