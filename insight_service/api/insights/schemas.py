"""Query and response models of the insight endpoints (``/insights...``)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from insight_service.api.web.params import (
    QueryModel,
    lowercase,
)
from insight_service.core.errors import InvalidInput

_INSIGHT_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
INSIGHT_PARAM = {"insight_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}


class InsightsQuery(QueryModel):
    status: Annotated[Literal["active", "dismissed", "actioned", "all"] | None, BeforeValidator(lowercase)] = Field(
        None, description="insights with this status, or `all`; default `active`")


class InsightsGenerateQuery(QueryModel):
    limit: int = Field(5, ge=1, le=20, description="how many of the store's top signals (by severity, then "
                       "estimated revenue impact) to turn into insights; also accepted as JSON body `{\"limit\": n}`")
    wait: bool = Field(False, description="true: generate within the request and answer 201 with the result "
                       "(the former synchronous behaviour); default: answer 202 with a job to poll")



def validate_insight_id(value: str) -> str:
    if not _INSIGHT_ID_RE.fullmatch(value):
        raise InvalidInput("insight_id", "must be 1-64 letters, digits, '-' or '_'")
    return value


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


class JobAccepted(BaseModel):
    job_id: str = Field(..., description="uuid; poll GET /jobs/{job_id}")
    status: Literal["queued"]


class JobError(BaseModel):
    code: str
    message: str
    details: Any = None


class Job(BaseModel):
    job_id: str
    kind: str = Field(..., description="insights_generate")
    status: Literal["queued", "running", "done", "failed"]
    result: InsightsGenerated | None = Field(None, description="when done: what the synchronous call returned")
    error: JobError | None = Field(None, description="when failed")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


JOB_PARAM = {"job_id": {"type": "string", "format": "uuid", "description": "the id POST /insights/generate gave"}}
