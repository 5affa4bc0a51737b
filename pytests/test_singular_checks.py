"""The reconciliations between marts are written once, as singular dbt tests, and the checkpoint
runs them (no warehouse needed here): each named check of a suite points at an existing
tests/**/<name>.sql, and its compiled SQL becomes an offender query over the validated schema."""
from __future__ import annotations

from insight_service.paths import project_dir
from insight_service.quality.compiled_tests import COMMENT_LINE, _as_rows_check
from insight_service.quality.singular_tests import singular_tests
from insight_service.quality.suites import all_suites

RECONCILIATIONS = {
    "fct_attribution_credits.credits_sum_to_order_revenue": "assert_credits_reconcile_per_order_and_model",
    "fct_channel_attribution_daily.equals_credits": "assert_attributed_revenue_equals_converting_order_revenue",
    "fct_conversion_paths.conversions_equal_converting_orders": "assert_conversion_paths_match_converting_orders",
    "fct_unified_metrics.channel_rollup_equals_sources": "assert_unified_channel_rollup_equals_sum_of_sources",
    "fct_unified_metrics.overall_equals_channels": "assert_unified_overall_equals_channels_plus_unattributed",
    "fct_unified_metrics.periods_equal_sum_of_days": "assert_unified_periods_equal_sum_of_days",
    "fct_unified_metrics.overall_revenue_equals_default_model": "assert_unified_revenue_reconciles_to_attribution",
    "dim_benchmarks.bands_ordered": "assert_benchmark_ranges_unique_and_ordered",
    "dim_fx_rates.store_currencies_covered": "assert_store_currencies_have_fx_rates",
}


def test_each_reconciliation_is_its_singular_dbt_test():
    by_check = {f"{s.mart}.{c.name}": c for s in all_suites() for c in s.checks}
    for qualified, test in RECONCILIATIONS.items():
        check = by_check[qualified]
        assert check.dbt_test == test and check.offenders is None, qualified
    assert by_check["dim_fx_rates.store_currencies_covered"].severity == "warning"
    sql_files = {p.stem for p in (project_dir() / "tests").rglob("*.sql")}
    assert {t.name for t in singular_tests()} <= sql_files


def test_compiled_sql_becomes_an_offender_query():
    compiled = COMMENT_LINE.sub("", "-- why: {m} never in comments\nwith x as (select 1 as a)\nselect a from x").strip()
    check = next(c for s in all_suites() for c in s.checks if c.name == "bands_ordered")
    query = _as_rows_check(check, compiled, "a desc").offenders
    assert query.startswith("with mart as not materialized (select * from {batch}{batch_alias}) ")
    assert "select * from (\nwith x as (select 1 as a)\nselect a from x\n) as offenders order by a desc" in query
    assert "why" not in query
