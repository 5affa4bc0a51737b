"""Suite of fct_unified_metrics: ranges, ratio formulas and the rollup reconciliations. Grain,
not-null columns, accepted channels/periods and its row rules (rollup levels, period bounds,
bounce rate, profit after marketing, ...) come from its dbt tests."""
from __future__ import annotations

from collections.abc import Sequence

from insight_service.quality.builders import DEFAULT_MODEL_SQL, at_least_zero, keys, no_future, regex, rows, store_level
from insight_service.quality.check import MartSuite
from insight_service.quality.dbt_tests import MartTests
from insight_service.quality.from_dbt import mart_suite

# `source` of fct_unified_metrics: <type>:<id>, `unassigned` or `all` (POSIX regex, no braces)
SOURCE_REGEX = r"^(all|unassigned|article:.+|campaign:.+|post:.+|ad_campaign:[^:]+:.+)$"

# additive contract columns (rollups equal the sum of their parts)
TRAFFIC = ("sessions", "pageviews", "impressions", "clicks", "engagements", "cost")
ATTRIBUTED = ("conversions", "revenue", "profit")
# profit - cost of each row: its rollups add up like its two terms (overall: + the unattributed profit)
ROW_ADDITIVE = (*TRAFFIC, *ATTRIBUTED, "marketing_profit")
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


def _sum_mismatch(left: str, right: str, columns: Sequence[str], tolerance: dict[str, str]) -> tuple[str, str]:
    """(where clause, badness expression) comparing left.<c> with right.<c> for every column."""
    where, bad = [], []
    for c in columns:
        if c in tolerance:
            where.append(f"abs(coalesce({left}.{c}, 0) - coalesce({right}.{c}, 0)) > {tolerance[c]}")
        else:
            where.append(f"{left}.{c} is distinct from {right}.{c}")
        bad.append(f"abs(coalesce({left}.{c}, 0) - coalesce({right}.{c}, 0))")
    return " or ".join(where), f"greatest({', '.join(bad)})"


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


def _rollup_checks() -> list:
    sums = ", ".join(f"sum({c}) as {c}" for c in ROW_ADDITIVE)
    shown = ", ".join(f"parent.{c} as rollup_{c}, parts.{c} as parts_{c}" for c in ("sessions", "cost", "revenue"))
    where, bad = _sum_mismatch("parent", "parts", ROW_ADDITIVE, {"conversions": "0.00001"})
    # also the singular tests tests/metrics/assert_unified_*.sql (see DECISIONLOG.md)
    return [
        rows("channel_rollup_equals_sources",
             "every channel rollup (source `all`) equals the sum of its sources for every additive column",
             f"with parts as (select store_id, channel, period, period_start, {sums} from {{batch}} "
             f"where source <> 'all' group by 1, 2, 3, 4), "
             f"parent as (select * from {{batch}} where source = 'all' and channel <> 'overall') "
             f"select coalesce(parent.store_id, parts.store_id) as store_id, "
             f"coalesce(parent.channel, parts.channel) as channel, coalesce(parent.period, parts.period) as period, "
             f"coalesce(parent.period_start, parts.period_start) as period_start, {shown} "
             f"from parent full outer join parts on parts.store_id = parent.store_id "
             f"and parts.channel = parent.channel and parts.period = parent.period "
             f"and parts.period_start = parent.period_start "
             f"where parent.store_id is null or parts.store_id is null or {where} "
             f"order by {bad} desc nulls first, 1, 2, 3, 4"),
        rows("overall_equals_channels",
             "the store rollup (`overall`) equals the sum of the channel rollups (traffic and cost), and "
             "revenue/conversions/profit/marketing_profit = channels + the unattributed orders of the default "
             "model",
             f"with parts as (select store_id, period, period_start, {sums} "
             "from {batch} where source = 'all' and channel <> 'overall' group by 1, 2, 3), "
             "parent as (select * from {batch} where channel = 'overall'), "
             "unattributed as (select store_id, date, sum(attributed_revenue) as revenue, "
             "sum(attributed_conversions) as conversions, sum(attributed_profit) as profit "
             "from {m}.fct_channel_attribution_daily where channel = 'unattributed' "
             f"and model = {DEFAULT_MODEL_SQL} group by 1, 2) "
             "select parent.store_id, parent.period_start, parent.revenue as overall_revenue, "
             "parts.revenue as channel_revenue, unattributed.revenue as unattributed_revenue, "
             "parent.sessions as overall_sessions, parts.sessions as channel_sessions, "
             "parent.cost as overall_cost, parts.cost as channel_cost "
             "from parent left join parts on parts.store_id = parent.store_id and parts.period = parent.period "
             "and parts.period_start = parent.period_start "
             "left join unattributed on unattributed.store_id = parent.store_id "
             "and unattributed.date = parent.period_start "
             "where parent.period = 'daily' and ("
             + " or ".join(f"coalesce(parent.{c}, 0) <> coalesce(parts.{c}, 0)" for c in TRAFFIC) +
             " or parent.revenue <> coalesce(parts.revenue, 0) + coalesce(unattributed.revenue, 0)"
             " or parent.profit <> coalesce(parts.profit, 0) + coalesce(unattributed.profit, 0)"
             " or parent.marketing_profit <> coalesce(parts.marketing_profit, 0) + coalesce(unattributed.profit, 0)"
             " or abs(parent.conversions - coalesce(parts.conversions, 0) - coalesce(unattributed.conversions, 0))"
             " > 0.0001) "
             "order by greatest(abs(parent.revenue - coalesce(parts.revenue, 0) - coalesce(unattributed.revenue, 0)), "
             + ", ".join(f"abs(coalesce(parent.{c}, 0) - coalesce(parts.{c}, 0))" for c in TRAFFIC) +
             ") desc, 1, 2"),
        rows("periods_equal_sum_of_days",
             "every weekly and monthly row equals the sum of its daily rows for every additive column",
             f"with days as (select * from {{batch}} where period = 'daily'), "
             f"parts as (select store_id, channel, source, periods.period, "
             f"date_trunc(periods.unit, period_start)::date as period_start, {sums} from days "
             f"cross join (values ('weekly', 'week'), ('monthly', 'month')) as periods(period, unit) "
             f"group by 1, 2, 3, 4, 5), "
             f"parent as (select * from {{batch}} where period in ('weekly', 'monthly')) "
             f"select coalesce(parent.store_id, parts.store_id) as store_id, "
             f"coalesce(parent.channel, parts.channel) as channel, coalesce(parent.source, parts.source) as source, "
             f"coalesce(parent.period, parts.period) as period, "
             f"coalesce(parent.period_start, parts.period_start) as period_start, {shown} "
             f"from parent full outer join parts on parts.store_id = parent.store_id "
             f"and parts.channel = parent.channel and parts.source = parent.source "
             f"and parts.period = parent.period and parts.period_start = parent.period_start "
             f"where parent.store_id is null or parts.store_id is null or {where} "
             f"order by {bad} desc nulls first, 1, 2, 3, 4, 5"),
        rows("overall_revenue_equals_default_model",
             "per (store, month) overall revenue equals the revenue credited by the default attribution model",
             "with credits as (select credits.store_id, "
             "date_trunc('month', (credits.converted_at at time zone stores.timezone)::date)::date as month_start, "
             "sum(credits.credited_revenue) as revenue, sum(credits.credited_conversions) as conversions "
             "from {m}.fct_attribution_credits as credits "
             "join {m}.dim_stores as stores on stores.store_id = credits.store_id "
             f"where credits.model = {DEFAULT_MODEL_SQL} group by 1, 2), "
             "overall as (select store_id, period_start as month_start, revenue, conversions from {batch} "
             "where period = 'monthly' and channel = 'overall') "
             "select coalesce(overall.store_id, credits.store_id) as store_id, "
             "coalesce(overall.month_start, credits.month_start) as month_start, "
             "overall.revenue as overall_revenue, credits.revenue as attributed_revenue, "
             "overall.conversions as overall_conversions, credits.conversions as attributed_conversions "
             "from overall full outer join credits on credits.store_id = overall.store_id "
             "and credits.month_start = overall.month_start "
             "where coalesce(overall.revenue, 0) <> coalesce(credits.revenue, 0) "
             "or abs(coalesce(overall.conversions, 0) - coalesce(credits.conversions, 0)) > 0.01 "
             "order by abs(coalesce(overall.revenue, 0) - coalesce(credits.revenue, 0)) desc, 1, 2"),
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
        *_rollup_checks(),
    ]
    return mart_suite(mart, store_level((*grain, *CONTRACT_COLUMNS)), tail,
                      "one row per (store, channel, source, period, period_start); rollups add up")
