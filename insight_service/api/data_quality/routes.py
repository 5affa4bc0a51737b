"""The data-quality view."""
from __future__ import annotations

from flask import Response

from insight_service.api.data_quality import bp
from insight_service.api.data_quality.schemas import DataQualityData, DataQualityQuery
from insight_service.api.data_quality.service import quarantine
from insight_service.api.web.context import cached, ok_raw, query, state, store_id
from insight_service.api.web.openapi import RouteSpec, api_route


@bp.get("/data-quality")
@api_route(RouteSpec(
    summary="The store's quarantined raw rows: counts per table and reason, latest examples",
    query=DataQualityQuery, response=DataQualityData, tags=("data_quality",),
    description="From marts.data_quality_issues: raw rows excluded from the marts (null keys, unknown enum "
                "values, negative counts/amounts, future timestamps, unknown references) and superseded "
                "duplicates, for the API key's store only. Tables without a store_id (influencers, "
                "influencer_outreach, influencer_deliveries) are excluded."))
def data_quality() -> Response:
    q = query(DataQualityQuery)
    store = store_id()
    data = cached("data_quality", {"examples": q.examples, "table": q.table, "reason": q.reason},
                  lambda: quarantine(state().warehouse, store, q.examples, q.table, q.reason), raw=True)
    return ok_raw(data)
