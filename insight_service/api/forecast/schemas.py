"""Query and response models of ``GET /forecast``."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from insight_service.api.web.params import ChannelOrOverall, QueryModel, lowercase
from insight_service.forecast import METRICS
from insight_service.forecast.models import MAX_HORIZON

DEFAULT_HORIZON = 30
HISTORY_WEEKS = 8
_HORIZON_RE = re.compile(r"\s*(\d{1,4})\s*[dD]?\s*")

Metric = Literal[METRICS]


def _parse_horizon(value: Any) -> int:
    match = _HORIZON_RE.fullmatch(str(value)) if not isinstance(value, bool) else None
    if not match:
        raise ValueError(f"must be a whole number of days between 1 and {MAX_HORIZON}, e.g. 30 or 30d")
    days = int(match.group(1))
    if not 1 <= days <= MAX_HORIZON:
        raise ValueError(f"must be between 1 and {MAX_HORIZON}")
    return days


Horizon = Annotated[
    int,
    BeforeValidator(_parse_horizon),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]+d?$", "example": "30",
                    "description": f"days after the last data day (1..{MAX_HORIZON}), `30` or `30d`"}),
]


class ForecastQuery(QueryModel):
    metric: Annotated[Metric, BeforeValidator(lowercase)] = Field("revenue", description="the metric forecast")
    channel: Annotated[ChannelOrOverall, BeforeValidator(lowercase)] = Field(
        "overall", description="a channel, or `overall` (the store total; default)")
    horizon: Horizon = Field(DEFAULT_HORIZON, description=f"days to return (1..{MAX_HORIZON}; default "
                                                          f"{DEFAULT_HORIZON})",
                             json_schema_extra={"default": str(DEFAULT_HORIZON)})  # the document's type: text


class HistoryDay(BaseModel):
    date: dt.date
    value: float


class ForecastDay(BaseModel):
    date: dt.date
    value: float
    lower_80: float
    upper_80: float
    lower_95: float
    upper_95: float


class ForecastData(BaseModel):
    metric: Metric
    channel: ChannelOrOverall
    fitted_at: dt.datetime = Field(..., description="when the refresh fitted this forecast")
    model: str = Field(..., description="the model chosen for this series on the calibration windows "
                                        "(ets, theta, ets+theta, croston_sba, imapa, weekday_mean, planned, zero)")
    last_data_date: dt.date = Field(..., description="the last store-local day the fit saw; the forecast "
                                                     "starts the day after")
    horizon: int
    history: list[HistoryDay] = Field(..., description=f"the last {HISTORY_WEEKS} weeks of actuals up to "
                                                       "last_data_date (0 on days without data)")
    forecast: list[ForecastDay]
