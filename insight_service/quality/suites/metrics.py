"""Suite of fct_unified_metrics: ranges and ratio formulas. Grain, not-null columns, accepted
channels/periods and its row rules (rollup levels, period bounds, bounce rate, profit after
marketing, ...) come from its dbt tests; the rollup reconciliations from its singular tests
(tests/metrics/assert_unified_*.sql, :mod:`insight_service.quality.singular_tests`)."""
from __future__ import annotations

from collections.abc import Sequence

from insight_service.quality.builders import at_least_zero, keys, no_future, regex, rows, store_level
from insight_service.quality.check import MartSuite
from insight_service.quality.dbt_tests import MartTests
from insight_service.quality.from_dbt import mart_suite

# `source` of fct_unified_metrics: <type>:<id>, `unassigned` or `all` (POSIX regex, no braces)
SOURCE_REGEX = r"^(all|unassigned|article:.+|campaign:.+|post:.+|ad_campaign:[^:]+:.+)$"

CONTRACT_COLUMNS = ("sessions", "pageviews", "unique_visitors", "avg_session_duration_s", "bounce_rate",
                    "impressions", "clicks", "engagements", "engagement_rate", "conversions", "revenue", "profit",
                    "cost", "conversion_rate", "cpc", "cpa", "roas", "roi", "marketing_profit", "poas")
# (ratio, its formula, its denominator); marketing_profit and poas are the dbt test
# unified_metrics_profit_after_marketing_per_row
RATIOS = (
    ("bounce_rate", None, "sessions"),
    ("conversion_rate", "conversions * 100.0 / nullif(sessions, 0)", "sessions"),
    ("engagement_rate", "engagements * 100.0 / nullif(impressions, 0)", "impressions"),
    ("roas", "revenue / nullif(cost, 0)", "cost"),
    ("roi", "(revenue - cost) * 100.0 / nullif(cost, 0)", "cost"),
    ("cpc", "cost / nullif(clicks, 0)", "clicks"),
    ("cpa", "cost / nullif(conversions, 0)", "conversions"),
    ("poas", None, "cost"),
)


def _ratio_checks(grain: Sequence[str]) -> list:
    cols = keys(grain)
    null_rules = " or ".join(f"(coalesce({den}, 0) = 0 and {col} is not null)" for col, _, den in RATIOS)
    null_cols = ", ".join(dict.fromkeys(c for rule in RATIOS for c in (rule[0], rule[2])))
    formulas = [(col, expr) for col, expr, _ in RATIOS if expr]
    formula_where = " or ".join(f"abs({col} - round({expr}, 4)) > 0.0001" for col, expr in formulas)
    formula_bad = "greatest(" + ", ".join(f"coalesce(abs({col} - round({expr}, 4)), 0)" for col, expr in formulas) + ")"
    return [
        rows("ratios_null_on_zero_denominator", "a ratio whose denominator is 0 or null is null, never 0",
             f"select {cols}, {null_cols} from {{batch}} where {null_rules} order by {cols}"),
        rows("ratios_match_formulas",
             "conversion_rate, engagement_rate, roas, roi, cpc and cpa equal their formulas (4 decimals)",
             f"select {cols}, {', '.join(c for c, _ in formulas)} from {{batch}} where {formula_where} "
             f"order by {formula_bad} desc, {cols}"),
    ]


def unified(mart: MartTests, tol: int) -> MartSuite:
    grain = mart.grain
    tail = [
        regex("source", SOURCE_REGEX, grain, "source_format", "source is <type>:<id>, `unassigned` or `all`"),
        *at_least_zero(("sessions", "pageviews", "unique_visitors", "impressions", "clicks", "engagements",
                        "conversions", "revenue", "avg_session_duration_s", "engagement_rate", "conversion_rate"),
                       grain),
        no_future("period_start", grain, "period_start", tol, is_date=True),
        *_ratio_checks(grain),
    ]
    return mart_suite(mart, store_level((*grain, *CONTRACT_COLUMNS)), tail,
                      "one row per (store, channel, source, period, period_start); rollups add up")
