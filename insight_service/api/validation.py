"""Pydantic models: the request parameters each endpoint accepts and the data it returns.

These are the single source of truth: the views validate ``request.args`` with the query
models, tests validate responses with the response models, and ``openapi.py`` builds the
OpenAPI document from both, so the document cannot drift from the code.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from werkzeug.datastructures import MultiDict

from insight_service.api.errors import InvalidParameter
from insight_service.api.periods import MAX_DAYS, MIN_DATE

CHANNELS: tuple[str, ...] = ("seo", "influencer", "social", "ads", "email", "referral", "direct")
RULE_MODELS: tuple[str, ...] = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
MODELS: tuple[str, ...] = (*RULE_MODELS, "data_driven")
REPORTS: tuple[str, ...] = ("channels", "attribution", "timeseries", "benchmarks", "calendar")
INSIGHT_STATUSES: tuple[str, ...] = ("new", "dismissed", "actioned")

Channel = Literal["seo", "influencer", "social", "ads", "email", "referral", "direct"]
ChannelOrOverall = Literal["seo", "influencer", "social", "ads", "email", "referral", "direct", "overall"]
Model = Literal["first_touch", "last_touch", "linear", "time_decay", "position_based", "data_driven"]
ModelOrAll = Literal["first_touch", "last_touch", "linear", "time_decay", "position_based", "data_driven", "all"]
Rating = Literal["poor", "average", "good", "excellent", "insufficient_data"]
Direction = Literal["up", "down", "flat"]

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAYS_RE = re.compile(r"\s*(\d{1,9})\s*[dD]?\s*")
_INDUSTRY_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
_INSIGHT_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


# ---- parameter types -----------------------------------------------------------------

def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        if not isinstance(value, str) or not _DATE_RE.fullmatch(value.strip()):
            raise ValueError("must be an ISO date YYYY-MM-DD")
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a calendar date") from None
    if day < MIN_DATE:
        raise ValueError(f"must be on or after {MIN_DATE.isoformat()}")
    return day


def _parse_days(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number of days, e.g. 30 or 30d")
    if isinstance(value, int):
        days = value
    else:
        match = _DAYS_RE.fullmatch(str(value))
        if not match:
            raise ValueError("must be a whole number of days, e.g. 30 or 30d")
        days = int(match.group(1))
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"must be between 1 and {MAX_DAYS}")
    return days


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "example": "2024-03-31"}),
]
Days = Annotated[
    int,
    BeforeValidator(_parse_days),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]+d?$", "example": "30d",
                    "description": f"number of days (1..{MAX_DAYS}), `30` or `30d`"}),
]
Industry = Annotated[
    str,
    BeforeValidator(_lower),
    Field(pattern=_INDUSTRY_RE.pattern, description="benchmark industry, e.g. `fashion`; default: the store's"),
]


class QueryModel(BaseModel):
    """Base of the query-string models: unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class RangeQuery(QueryModel):
    start_date: IsoDate | None = Field(None, description="first day (store-local, inclusive)")
    end_date: IsoDate | None = Field(
        None, description="last day (store-local, inclusive); default: the last date the marts have for the store")
    days: Days | None = Field(None, description="the N days ending at end_date (instead of start_date); default 30")


class DashboardQuery(RangeQuery):
    pass


class AttributionQuery(RangeQuery):
    model: Annotated[ModelOrAll | None, BeforeValidator(_lower)] = Field(
        None, description="attribution model, or `all`; default: the marts' attribution_default_model")


class RoiQuery(RangeQuery):
    model: Annotated[Model | None, BeforeValidator(_lower)] = Field(
        None, description="attribution model for revenue/profit; default: the marts' attribution_default_model")


class BenchmarksQuery(RangeQuery):
    industry: Industry | None = None


class CalendarQuery(RangeQuery):
    channel: Annotated[Channel | None, BeforeValidator(_lower)] = Field(None, description="only this channel")


class ExportQuery(RangeQuery):
    model: Annotated[ModelOrAll | None, BeforeValidator(_lower)] = Field(
        None, description="attribution report: model or `all`")
    industry: Industry | None = None
    channel: Annotated[Channel | None, BeforeValidator(_lower)] = Field(
        None, description="benchmarks / timeseries / calendar reports: only this channel")


def _finite_non_negative(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{what} must be a finite number >= 0")
    return number


class BudgetQuery(QueryModel):
    total_budget: float = Field(..., gt=0, allow_inf_nan=False,
                                description="budget to allocate over the next 30 days (> 0)")
    lookback_days: int = Field(90, ge=14, le=MAX_DAYS, description="history used to fit the response curves")
    bounds: str | None = Field(
        None, max_length=500, pattern=r"^[a-z_]+:[0-9.eE+]*:[0-9.eE+]*(,[a-z_]+:[0-9.eE+]*:[0-9.eE+]*)*$",
        description="per-channel budget bounds `channel:min:max,...` (min or max may be empty)")
    locks: str | None = Field(
        None, max_length=500, pattern=r"^[a-z_]+:[0-9.eE+]+(,[a-z_]+:[0-9.eE+]+)*$",
        description="channels whose budget is fixed, `channel:amount,...`")

    @field_validator("bounds")
    @classmethod
    def _check_bounds(cls, value: str | None) -> str | None:
        if value is None:
            return value
        for item in value.split(","):
            channel, low, high = item.split(":")
            if channel not in CHANNELS:
                raise ValueError(f"unknown channel {channel!r}")
            lo = _finite_non_negative(low, "min") if low else 0.0
            hi = _finite_non_negative(high, "max") if high else math.inf
            if lo > hi:
                raise ValueError(f"{channel}: min is above max")
        return value

    @field_validator("locks")
    @classmethod
    def _check_locks(cls, value: str | None) -> str | None:
        if value is None:
            return value
        for item in value.split(","):
            channel, amount = item.split(":")
            if channel not in CHANNELS:
                raise ValueError(f"unknown channel {channel!r}")
            _finite_non_negative(amount, "amount")
        return value

    @model_validator(mode="after")
    def _locks_within_budget(self) -> BudgetQuery:
        if self.locks:
            locked = sum(float(item.split(":")[1]) for item in self.locks.split(","))
            if locked > self.total_budget:
                raise ValueError("locks: locked amounts exceed total_budget")
        return self


class InsightsQuery(QueryModel):
    status: Annotated[Literal["new", "dismissed", "actioned"] | None, BeforeValidator(_lower)] = Field(
        None, description="only insights with this status")


class NoQuery(QueryModel):
    pass


def validate_query(model: type[QueryModel], args: MultiDict) -> QueryModel:
    """Validate a query string; any problem -> 400 that names the parameter(s)."""
    problems: list[dict[str, str]] = []
    values: dict[str, Any] = {}
    for name in model.model_fields:
        given = args.getlist(name)
        if len(given) > 1:
            problems.append({"param": name, "message": "given more than once"})
        elif given:
            values[name] = given[0]
    if not problems:
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                param = str(err["loc"][0]) if err["loc"] else _guess_param(err)
                message = str(err["msg"]).removeprefix("Value error, ")
                if err["type"] == "missing":
                    message = "is required"
                elif err["type"] == "literal_error" and "expected" in (err.get("ctx") or {}):
                    message = f"must be one of {err['ctx']['expected']}"
                elif err["type"] == "string_pattern_mismatch":
                    message = "has an invalid format"
                problems.append({"param": param, "message": message})
    first, *more = problems
    raise InvalidParameter(first["param"], first["message"], more=more)


def _guess_param(err: dict[str, Any]) -> str:
    message = str(err.get("msg", ""))
    for name in ("locks", "bounds", "total_budget"):
        if name in message:
            return name
    return "query"


def validate_insight_id(value: str) -> str:
    if not _INSIGHT_ID_RE.fullmatch(value):
        raise InvalidParameter("insight_id", "must be 1-64 letters, digits, '-' or '_'")
    return value


# ---- response models (documentation + response checks in the tests) ------------------

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    success: Literal[True]
    data: T


class ErrorBody(BaseModel):
    code: str = Field(..., examples=["invalid_parameter"])
    message: str
    details: Any = None


class ErrorEnvelope(BaseModel):
    success: Literal[False]
    error: ErrorBody


class DateRange(BaseModel):
    start_date: dt.date
    end_date: dt.date
    days: int
    previous_start_date: dt.date
    previous_end_date: dt.date


class ChannelMetrics(BaseModel):
    revenue: float
    cost: float
    profit: float
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
    conversions: float
    roi: float | None = Field(..., description="(revenue − cost) / cost × 100; null when cost is 0")
    roas: float | None = Field(..., description="revenue / cost; null when cost is 0")
    date_range: DateRange


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


class BenchmarksData(BaseModel):
    channel: Channel
    industry: str = Field(..., description="requested industry, or the store's")
    metrics: dict[str, BenchmarkMetric]
    date_range: DateRange


class CalendarItem(BaseModel):
    date: dt.date
    item_type: str
    item_id: str
    channel: str | None
    title: str | None
    status: str | None


class CalendarData(BaseModel):
    items: list[CalendarItem]
    date_range: DateRange


class HealthData(BaseModel):
    status: Literal["ok"]
    build_id: str | None
    built_at: dt.datetime | None
    attribution_default_model: str | None


class ScenarioAllocation(BaseModel):
    allocation: dict[Channel, float]
    predicted_revenue: float


class BudgetChannel(BaseModel):
    channel: Channel
    current_spend: float
    recommended_budget: float
    change_pct: float | None
    predicted_revenue: float
    roas: float | None
    marginal_roas_current: float | None
    marginal_roas_recommended: float | None
    bound_hit: str | None
    fit: dict[str, Any] | None


class BudgetData(BaseModel):
    total_budget: float
    channels: list[BudgetChannel]
    scenarios: dict[Literal["current", "proportional_roas", "recommended"], ScenarioAllocation]


class Insight(BaseModel):
    id: str
    type: str
    category: str
    title: str
    description: str
    priority: str
    impact: Any
    suggested_action: str | None
    status: str
    created_at: dt.datetime
    dismissed_at: dt.datetime | None = None
    actioned_at: dt.datetime | None = None
    evidence: Any


class InsightsData(BaseModel):
    insights: list[Insight]
