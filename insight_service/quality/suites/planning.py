"""Suites of the planning marts: budget utilization and the marketing calendar. Grain, not-null
columns, accepted values and row rules (pacing null without budget, past months final) come
from their dbt tests."""
from __future__ import annotations

from insight_service.core.vocabulary import CHANNELS
from insight_service.quality.builders import between, in_set, keys, month_start_is_first_day, rows, store_level
from insight_service.quality.check import MartSuite, lit_list
from insight_service.quality.dbt_tests import MartTests
from insight_service.quality.from_dbt import mart_suite

# channels that can have a budget and a cost (MarketingChannel types): not referral, not direct
BUDGET_CHANNELS: tuple[str, ...] = tuple(c for c in CHANNELS if c not in ("referral", "direct"))
ARTICLE_STATUSES: tuple[str, ...] = ("draft", "scheduled", "published", "archived")
DELIVERY_STATUSES: tuple[str, ...] = ("planned", "posted", "verified", "missed")


def budget(mart: MartTests) -> MartSuite:
    grain = mart.grain
    key = keys(grain)
    cols = (*grain, "monthly_budget", "spent", "utilization_pct", "days_elapsed", "days_in_month",
            "projected_spend", "pacing")
    tail = [
        in_set("channel", BUDGET_CHANNELS, grain),
        between("monthly_budget", grain, 0),
        between("days_in_month", grain, 28, 31),
        between("days_elapsed", grain, 1, 31),
        month_start_is_first_day(grain),
        rows("days_elapsed_within_month", "days_elapsed <= days_in_month, and days_in_month is the month's",
             f"select {key}, days_elapsed, days_in_month from {{batch}} where days_elapsed > days_in_month "
             f"or days_in_month <> extract(day from (month_start + interval '1 month' - interval '1 day'))::int "
             f"order by {key}"),
        rows("spent_equals_unified_cost",
             "spent equals the month's channel cost in fct_unified_metrics (ledger refunds included)",
             "select b.store_id, b.channel, b.month_start, b.spent, u.cost as unified_cost from {batch} as b "
             "left join {m}.fct_unified_metrics as u on u.store_id = b.store_id and u.channel = b.channel "
             "and u.source = 'all' and u.period = 'monthly' and u.period_start = b.month_start "
             "where b.spent is distinct from coalesce(u.cost, 0) "
             "order by abs(coalesce(b.spent, 0) - coalesce(u.cost, 0)) desc, 1, 2, 3"),
        rows("utilization_matches_spent", "utilization_pct = spent / monthly_budget x 100 (null without budget)",
             f"select {key}, spent, monthly_budget, utilization_pct from {{batch}} "
             f"where utilization_pct is distinct from round(case when coalesce(monthly_budget, 0) = 0 then null "
             f"else spent * 100.0 / monthly_budget end, 4) order by {key}"),
        # null pacing without budget and final past months are the dbt tests budget_pacing_null_iff_no_budget
        # and budget_past_months_are_final
        rows("pacing_matches_projection",
             "pacing under < 90 % <= on <= 110 % < over of a positive budget by projected spend",
             f"select {key}, spent, projected_spend, monthly_budget, pacing from {{batch}} "
             f"where monthly_budget > 0 and pacing is distinct from (case "
             f"when projected_spend < 0.9 * monthly_budget then 'under' "
             f"when projected_spend > 1.1 * monthly_budget then 'over' else 'on' end) order by {key}"),
        rows("net_negative_spend",
             "a month whose refunds/credits exceed its spend (allowed by the contract: worth a look)",
             f"select {key}, spent from {{batch}} where spent < 0 order by spent, {key}",
             severity="warning"),
    ]
    return mart_suite(mart, store_level(cols), tail, "one row per (store, channel, month)")


def calendar(mart: MartTests) -> MartSuite:
    grain = mart.grain
    cols = ("store_id", "item_type", "item_id", "channel", "title", "scheduled_date", "status")
    tail = [
        rows("dated_when_published",
             "published/scheduled/archived articles and posted/verified deliveries have a scheduled_date",
             "select item_type, item_id, status from {batch} where scheduled_date is null "
             "and status in ('published', 'scheduled', 'archived', 'posted', 'verified') order by 1, 2"),
        in_set("channel", ("seo", "influencer"), grain),
        rows("channel_matches_item_type",
             "articles are `seo` items, influencer deliveries `influencer` items, each with its own statuses",
             "select item_type, item_id, channel, status from {batch} "
             "where (item_type = 'seo_article' and (channel <> 'seo' or status not in ("
             + lit_list(ARTICLE_STATUSES) + "))) or (item_type = 'influencer_delivery' and "
             "(channel <> 'influencer' or status not in (" + lit_list(DELIVERY_STATUSES) + "))) "
             "order by item_type, item_id"),
    ]
    # a store without blog articles or influencer deliveries legitimately has no calendar
    return mart_suite(mart, store_level(cols, rows_per_store_severity="warning"), tail, "one row per calendar item")
