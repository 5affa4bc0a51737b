"""Response models of ``GET /healthz``."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


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
    """Anonymous callers get ``status`` only; the rest needs an API key (or the page's session)."""

    status: Literal["ok"]
    build_id: str | None = None
    built_at: dt.datetime | None = None
    attribution_default_model: str | None = None
    build: HealthBuild | None = None
    freshness: HealthFreshness | None = Field(
        None, description="per raw source table, from marts.mart_source_freshness (null before it is built)")
    last_run: HealthLastRun | None = Field(
        None, description="the last finished pipeline run (app.pipeline_runs; runs skipped because another held "
                          "the lock are not runs); null before the first refresh")


class LiveData(BaseModel):
    status: Literal["ok"]


class ReadyData(BaseModel):
    """Anonymous callers get ``status`` only."""

    status: Literal["ready"]
    build_id: str | None = None
    built_at: dt.datetime | None = None
    missing_marts: list[str] | None = Field(None, description="core marts that do not exist (empty when ready)")
