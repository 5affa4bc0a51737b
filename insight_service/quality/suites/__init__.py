"""The checkpoint's suites: one :class:`~insight_service.quality.check.MartSuite` per mart.

Each suite is the checks its dbt tests define (:mod:`insight_service.quality.from_dbt`: generic
tests; :mod:`insight_service.quality.singular_tests`: the reconciliations between marts) plus the
hand-written checks dbt does not express: the contract columns, rows per store, known stores,
ranges, checks against the build time, and the reconciliations no dbt test asserts (see
DECISIONLOG.md, "Quality checkpoint: one home per invariant"). Contract: ../shared/contracts/marts.md. Units: rates
0-100; money may be negative where refunds allow it (profit, ledger-driven cost/spent).
"""
from __future__ import annotations

from pathlib import Path

from insight_service.quality.check import MartSuite
from insight_service.quality.dbt_tests import mart_tests
from insight_service.quality.suites import attribution, benchmarks, metrics, planning, reference


def all_suites(future_tolerance_hours: int = 24, max_quarantine_pct: float = 5.0,
               project: Path | None = None) -> list[MartSuite]:
    """Every suite, in the order they run (dimensions first: the facts' checks read them)."""
    dbt = mart_tests(project)
    tol = future_tolerance_hours
    return [
        reference.stores(dbt["dim_stores"]), reference.channels(dbt["dim_channels"]),
        reference.build_info(dbt["mart_build_info"]), reference.source_freshness(dbt["mart_source_freshness"]),
        attribution.orders(dbt["fct_order_attribution"], tol), attribution.credits(dbt["fct_attribution_credits"], tol),
        attribution.channel_daily(dbt["fct_channel_attribution_daily"], tol),
        attribution.paths(dbt["fct_conversion_paths"]), metrics.unified(dbt["fct_unified_metrics"], tol),
        benchmarks.benchmarks(dbt["dim_benchmarks"]), benchmarks.fx_rates(dbt["dim_fx_rates"]),
        benchmarks.comparison(dbt["fct_benchmark_comparison"]), planning.budget(dbt["fct_budget_utilization"]),
        planning.calendar(dbt["fct_marketing_calendar"]),
        reference.quarantine(dbt["data_quality_issues"], max_quarantine_pct),
    ]
