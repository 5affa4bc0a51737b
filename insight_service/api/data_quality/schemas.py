"""Query and response models of ``GET /data-quality`` (tables and reasons as the quality checks name them)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from insight_service.api.web.params import QueryModel, lowercase
from insight_service.warehouse.raw_schema import RAW_TABLES, STORELESS_TABLES

STORE_TABLES: tuple[str, ...] = tuple(t for t in RAW_TABLES if t not in STORELESS_TABLES)
MAX_EXAMPLES = 100

StoreTable = Literal[
    "stores", "marketing_channels", "orders", "blog_articles", "article_daily_stats", "influencer_campaigns",
    "influencer_contracts", "social_posts_daily", "ad_campaign_daily", "marketing_spend", "web_sessions",
    "customer_identities",
]
Reason = Literal["null_key", "duplicate", "unknown_enum", "negative_value", "out_of_range", "future_timestamp",
                 "missing_value", "unknown_reference"]
assert set(StoreTable.__args__) == set(STORE_TABLES)  # type: ignore[attr-defined]
# Reason is pinned to the accepted_values of data_quality_issues.reason by pytests/test_quality_suites.py


class DataQualityQuery(QueryModel):
    examples: int = Field(10, ge=0, le=MAX_EXAMPLES,
                          description=f"how many of the latest quarantined rows to return (0..{MAX_EXAMPLES})")
    table: Annotated[StoreTable | None, BeforeValidator(lowercase)] = Field(
        None, description="only this raw table (counts and examples)")
    reason: Annotated[Reason | None, BeforeValidator(lowercase)] = Field(
        None, description="only this quarantine reason (counts and examples)")


class QuarantineCount(BaseModel):
    table_name: str
    reason: str
    rows: int


class QuarantineExample(BaseModel):
    table_name: str
    row_key: str = Field(..., description="the raw row's natural key, parts joined with '|'")
    reason: str
    details: str | None = Field(..., description="the column and value that triggered the reason")
    raw_loaded_at: dt.datetime | None = Field(..., description="_loaded_at of the raw row")
    detected_at: dt.datetime | None = Field(..., description="start of the build that quarantined it")


class DataQualityData(BaseModel):
    total: int = Field(..., description="quarantined rows of the store (after the table/reason filters)")
    excluding_duplicates: int = Field(
        ..., description="the same without `duplicate` (superseded re-deliveries of a key, not bad data)")
    counts: list[QuarantineCount] = Field(..., description="rows per (table_name, reason), largest first")
    examples: list[QuarantineExample] = Field(..., description="the latest quarantined rows (by raw_loaded_at)")
    detected_at: dt.datetime | None = Field(..., description="when the current quarantine was computed (build)")
    excluded_tables: list[str] = Field(
        ..., description="raw tables without a store_id (shared or reached through a parent): never shown")
