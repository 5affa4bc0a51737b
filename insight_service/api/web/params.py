"""Query validation and the models every feature shares.

A feature declares its query-string model (a :class:`QueryModel`, usually a :class:`RangeQuery`)
and its response models in its ``schemas.py``; the views validate ``request.args`` with
:func:`validate_query`, the tests validate responses with the response models, and
``openapi.py`` builds the OpenAPI document from both, so the document cannot drift from the code.
Here: the base models, the shared parameter types (dates, days, channel, model), the success
and error envelopes and the date range every report echoes.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema
from werkzeug.datastructures import MultiDict

from insight_service.core.errors import InvalidInput, NotFound
from insight_service.core.periods import MAX_DAYS, MIN_DATE
from insight_service.core.vocabulary import CHANNELS, MODELS

# the vocabulary's tuples (dbt seeds) as parameter types: Literal[("a", "b")] is Literal["a", "b"]
Channel = Literal[CHANNELS]
ChannelOrOverall = Literal[(*CHANNELS, "overall")]
Model = Literal[MODELS]
ModelOrAll = Literal[(*MODELS, "all")]
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAYS_RE = re.compile(r"\s*(\d{1,9})\s*[dD]?\s*")


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


def lowercase(value: Any) -> Any:
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


class QueryModel(BaseModel):
    """Base of the query-string models: unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class RangeQuery(QueryModel):
    start_date: IsoDate | None = Field(None, description="first day (store-local, inclusive)")
    end_date: IsoDate | None = Field(
        None, description="last day (store-local, inclusive); default: the last date the marts have for the store")
    days: Days | None = Field(None, description="the N days ending at end_date (instead of start_date); default 30")


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
    raise InvalidInput(first["param"], first["message"], more=more)


def _guess_param(err: dict[str, Any]) -> str:
    message = str(err.get("msg", ""))
    for name in ("locks", "bounds", "total_budget"):
        if name in message:
            return name
    return "query"


def check_channel(channel: str) -> str:
    """A channel named in the path; an unknown one is 404 (the path names no resource)."""
    if channel not in CHANNELS:
        raise NotFound(f"unknown channel {channel!r}: channel must be one of {', '.join(CHANNELS)}",
                       code="unknown_channel", details={"param": "channel", "allowed": list(CHANNELS)})
    return channel


CHANNEL_PARAM = {"channel": {"type": "string", "enum": list(CHANNELS), "description": "marketing channel"}}
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


class StoreProfile(BaseModel):
    store_id: str
    name: str | None = Field(..., description="display name (marts.dim_stores.store_name)")
    currency: str | None = Field(..., description="ISO 4217 currency of every money figure")
    timezone: str | None = Field(..., description="IANA timezone of the store's calendar days")
    industry: str | None
    locale: str = Field(..., description="BCP 47 locale for numbers and dates, derived from the timezone "
                                         "(else the currency; default en-US)", examples=["en-US"])


MARKETING_PROFIT_DOC = "profit − cost: what is left of the gross margin after the marketing spend"
POAS_DOC = "profit on ad spend: profit / cost (ratio, from the summed profit and cost); null when cost is 0"
