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
    ValidationInfo,
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
INSIGHT_STATUSES: tuple[str, ...] = ("active", "dismissed", "actioned")

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


CALENDAR_DEFAULT = ("without start_date, end_date and days the response also lists `upcoming` items: after the "
                    "default window up to 30 days after the store's today (its local date)")


class CalendarQuery(RangeQuery):
    start_date: IsoDate | None = Field(None, description="first day (store-local, inclusive); " + CALENDAR_DEFAULT)
    end_date: IsoDate | None = Field(
        None, description="last day (store-local, inclusive); default: the last date the marts have for the "
                          "store; " + CALENDAR_DEFAULT)
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


class InsightsQuery(QueryModel):
    status: Annotated[Literal["active", "dismissed", "actioned", "all"] | None, BeforeValidator(_lower)] = Field(
        None, description="insights with this status, or `all`; default `active`")


class InsightsGenerateQuery(QueryModel):
    limit: int = Field(5, ge=1, le=20, description="how many of the store's top signals (by severity, then "
                       "estimated revenue impact) to turn into insights; also accepted as JSON body `{\"limit\": n}`")


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


MARKETING_PROFIT_DOC = "profit − cost: what is left of the gross margin after the marketing spend"
POAS_DOC = "profit on ad spend: profit / cost (ratio, from the summed profit and cost); null when cost is 0"


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


class CalendarItem(BaseModel):
    date: dt.date
    item_type: str
    item_id: str
    channel: str | None
    title: str | None
    status: str | None


class UpcomingRange(BaseModel):
    start_date: dt.date
    end_date: dt.date


class CalendarData(BaseModel):
    items: list[CalendarItem]
    date_range: DateRange
    upcoming: list[CalendarItem] | None = Field(
        None, description="only without start_date, end_date and days: items after date_range up to 30 days "
                          "after the store's today (scheduled articles, planned deliveries)")
    upcoming_range: UpcomingRange | None = Field(None, description="the days `upcoming` covers")


class HealthBuild(BaseModel):
    build_id: str | None
    built_at: dt.datetime | None


class SourceFreshness(BaseModel):
    source_table: str = Field(..., description="raw table")
    last_loaded_at: dt.datetime | None = Field(..., description="latest _loaded_at of its rows")
    age_hours: float | None = Field(..., description="hours since last_loaded_at, now")
    status: Literal["ok", "warn", "error"] = Field(
        ..., description="by the build's freshness_warn_after_hours / freshness_error_after_hours")
    rows: int | None = Field(..., description="rows that reached staging at the build")


class HealthFreshness(BaseModel):
    status: Literal["ok", "warn", "error"] = Field(..., description="worst status of the sources")
    checked_at: dt.datetime | None
    warn_after_hours: int | None
    error_after_hours: int | None
    sources: list[SourceFreshness]


class HealthLastRun(BaseModel):
    status: Literal["success", "failed"] = Field(..., description="outcome of the last finished `insights refresh`")
    finished_at: dt.datetime


class HealthData(BaseModel):
    status: Literal["ok"]
    build_id: str | None
    built_at: dt.datetime | None
    attribution_default_model: str | None
    build: HealthBuild | None = None
    freshness: HealthFreshness | None = Field(
        None, description="per raw source table, from marts.mart_source_freshness (null before it is built)")
    last_run: HealthLastRun | None = Field(
        None, description="the last finished pipeline run (app.pipeline_runs; runs skipped because another held "
                          "the lock are not runs); null before the first refresh")


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


class Insight(BaseModel):
    id: str = Field(..., description="uuid")
    signal_id: str = Field(..., description="the signal of marts.fct_insight_signals it was written from")
    signal_type: str
    type: Literal["opportunity", "warning", "recommendation"]
    category: str = Field(..., description="revenue | efficiency | budget | content | traffic")
    title: str
    description: str
    priority: Literal["high", "medium", "low"] = Field(..., description="the signal's severity")
    impact: float | None = Field(..., description="estimated revenue impact (money at stake, store currency)")
    suggested_action: str | None
    status: Literal["active", "dismissed", "actioned"]
    generated_by: Literal["llm", "template"]
    model: str | None = Field(..., description="LLM model when generated_by is llm")
    template_reason: str | None = Field(
        ..., description="why the template was used: no_api_key, timeout, llm_error: ..., ungrounded_numbers: ..., "
                         "injected_content: ..., llm_missing: ..., llm_invalid: ...")
    created_at: dt.datetime
    updated_at: dt.datetime
    dismissed_at: dt.datetime | None = None
    actioned_at: dt.datetime | None = None
    evidence: dict[str, Any] = Field(..., description="figures (id, label, value, unit), mart rows, thresholds, window")
    period_start: dt.date | None = Field(
        None, description="first day of the window of the signal occurrence it was last written from (store-local)")
    period_end: dt.date | None = Field(None, description="last day of that window")


class SuppressedSignal(BaseModel):
    signal_id: str
    signal_type: str | None
    channel: str | None
    source: str | None
    period: str | None
    period_start: dt.date | None = Field(..., description="window of the signal's current occurrence")
    period_end: dt.date | None
    reason: Literal["same_window", "cooldown"] = Field(
        ..., description="same_window: the occurrence is not later than the closed insight's; cooldown: it is "
                         "later, but the cooldown since the dismissal/action has not passed")
    insight_id: str = Field(..., description="the dismissed or actioned insight that holds the signal back")
    insight_status: Literal["dismissed", "actioned"]
    closed_at: dt.datetime = Field(..., description="its dismissed_at / actioned_at")
    cooldown_days: int | None = Field(..., description="the signal type's cooldown (INSIGHTS_COOLDOWN_DAYS)")
    cooldown_until: dt.datetime = Field(..., description="closed_at + cooldown")


class InsightsData(BaseModel):
    insights: list[Insight]


class InsightsGenerated(InsightsData):
    path: Literal["llm", "template", "mixed", "none"] = Field(
        ..., description="who wrote the insights of this run; `none` when the store has no signals")
    reason: str | None = Field(..., description="why templates were used (no_api_key, timeout, llm_error: ..., "
                                                "ungrounded_numbers: ...), null when every insight is the LLM's")
    note: str | None = Field(..., description="`rule-based only: ...` without an API key")
    model: str | None
    signals_considered: int
    created: int = Field(..., description="new insights")
    refreshed: int = Field(..., description="active insights of the same signals updated in place")
    suppressed: int = Field(
        ..., description="signals held back by the lifecycle: their insight was dismissed or actioned and the "
                       "signal has not occurred in a later window since, or its cooldown has not passed")
    suppressed_signals: list[SuppressedSignal] = Field(
        ..., description="the held signals and the insight that holds each back")
