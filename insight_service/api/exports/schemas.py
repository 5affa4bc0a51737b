"""Query model of ``GET /export/<report>.csv`` (it takes the parameters of every exported report)."""
from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from insight_service.api.benchmarks.schemas import Industry
from insight_service.api.web.params import (
    Channel,
    ModelOrAll,
    RangeQuery,
    lowercase,
)

REPORTS: tuple[str, ...] = ("channels", "attribution", "timeseries", "benchmarks", "calendar")
REPORT_PARAM = {"report": {"type": "string", "enum": list(REPORTS), "description": "report to export"}}


class ExportQuery(RangeQuery):
    model: Annotated[ModelOrAll | None, BeforeValidator(lowercase)] = Field(
        None, description="attribution report: model or `all`")
    industry: Industry | None = None
    channel: Annotated[Channel | None, BeforeValidator(lowercase)] = Field(
        None, description="benchmarks / timeseries / calendar reports: only this channel")
