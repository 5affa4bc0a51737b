"""Query and response models of ``GET /attribution`` and ``GET /roi/<channel>``."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from insight_service.api.web.params import (
    MARKETING_PROFIT_DOC,
    POAS_DOC,
    Channel,
    DateRange,
    Model,
    ModelOrAll,
    RangeQuery,
    lowercase,
)


class AttributionQuery(RangeQuery):
    model: Annotated[ModelOrAll | None, BeforeValidator(lowercase)] = Field(
        None, description="attribution model, or `all`; default: the marts' attribution_default_model")


class RoiQuery(RangeQuery):
    model: Annotated[Model | None, BeforeValidator(lowercase)] = Field(
        None, description="attribution model for revenue/profit; default: the marts' attribution_default_model")


class AttributionResult(BaseModel):
    model: Model
    attribution: dict[Channel, float] = Field(..., description="channel → attributed revenue")
    conversions: dict[Channel, float] = Field(..., description="channel → attributed conversions")
    profit: dict[Channel, float] = Field(..., description="channel → attributed profit")
    total_revenue: float
    total_conversions: float
    unattributed_revenue: float
    unattributed_conversions: float
    removal_effects: dict[str, float] | None = Field(
        None, description="data_driven only: Markov removal effect (0..1) of each channel")


class AttributionData(AttributionResult):
    date_range: DateRange


class AllModelsAttribution(BaseModel):
    model: Literal["all"]
    models: dict[Model, AttributionResult]
    date_range: DateRange


class RoiData(BaseModel):
    channel: Channel
    model: Model
    revenue: float
    cost: float
    profit: float = Field(..., description="attributed profit (order revenue − COGS) credited to the channel")
    marketing_profit: float = Field(..., description=MARKETING_PROFIT_DOC + " (the channel's cost)")
    poas: float | None = Field(..., description=POAS_DOC)
    conversions: float
    roi: float | None = Field(..., description="(revenue − cost) / cost × 100; null when cost is 0")
    roas: float | None = Field(..., description="revenue / cost; null when cost is 0")
    date_range: DateRange
