"""The benchmarks view."""
from __future__ import annotations

from flask import Response

from insight_service.api.benchmarks import bp
from insight_service.api.benchmarks.schemas import BenchmarksData, BenchmarksQuery
from insight_service.api.benchmarks.service import benchmarks_data, resolve_industry
from insight_service.api.web.context import ok_raw, query, window_of
from insight_service.api.web.openapi import RouteSpec, api_route
from insight_service.api.web.params import CHANNEL_PARAM, check_channel


@bp.get("/benchmarks/<channel>")
@api_route(RouteSpec(
    summary="The channel's metrics rated against industry benchmarks",
    query=BenchmarksQuery, response=BenchmarksData, path_params=CHANNEL_PARAM,
    description="Values over the range from fct_unified_metrics; ranges from dim_benchmarks for "
                "`industry` (default: the store's, as in fct_benchmark_comparison), falling back to "
                "`general` per metric. Money metrics are converted into the band's currency at the "
                "monthly average rate as of start_date before rating; the warehouse rates (function "
                "benchmark_window, the rule of fct_benchmark_comparison). Ratings per the marts contract."))
def benchmarks(channel: str) -> Response:
    check_channel(channel)
    q = query(BenchmarksQuery)
    window = window_of(q)
    return ok_raw(benchmarks_data(channel, window, resolve_industry(q.industry), raw=True))
