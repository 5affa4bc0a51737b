"""Suites of the attribution marts: credits, converting orders, daily channel attribution and
conversion paths. Grain, not-null columns, accepted values and row rules come from their dbt
tests (:mod:`insight_service.quality.from_dbt`); here is what dbt does not assert on every row."""
from __future__ import annotations

from insight_service.core.vocabulary import CHANNELS, RULE_MODELS
from insight_service.quality.builders import (
    at_least_zero,
    between,
    in_set,
    month_start_is_first_day,
    no_future,
    not_null,
    regex,
    rows,
    store_level,
)
from insight_service.quality.check import MartSuite, values_table
from insight_service.quality.dbt_tests import MartTests
from insight_service.quality.from_dbt import mart_suite

CREDIT_CHANNELS: tuple[str, ...] = (*CHANNELS, "unattributed")
_CHANNEL_ALT = "|".join(CHANNELS)
CHANNEL_PATH_REGEX = rf"^(unattributed|({_CHANNEL_ALT})( > ({_CHANNEL_ALT}))*)$"


def credits(mart: MartTests, tol: int) -> MartSuite:
    grain = mart.grain
    cols = ("store_id", "order_id", "customer_id", "model", "touchpoint_id", "channel", "source", "touched_at",
            "converted_at", "touch_position", "touch_count", "credit_fraction", "credited_conversions",
            "credited_revenue", "credited_profit")
    tail = [
        *(not_null(c, grain) for c in ("credited_conversions", "credited_revenue", "credited_profit")),
        between("credit_fraction", grain, 0, 1),
        between("credited_conversions", grain, 0, 1),
        between("credited_revenue", grain, 0),
        rows("unattributed_iff_no_touchpoint",
             "a credit has no touchpoint exactly when its channel is `unattributed`",
             "select order_id, model, touchpoint_id, channel from {batch} "
             "where (channel = 'unattributed') <> (touchpoint_id is null) order by order_id, model"),
        no_future("converted_at", grain, "converted_at", tol),
        # the per-order reconciliation is also tests/attribution/assert_credits_reconcile_per_order_and_model.sql
        # (one row per order there, per (order, model) with both sums here: see DECISIONLOG.md)
        rows("fractions_sum_to_one", "per (order_id, model) the credit fractions sum to 1",
             "select order_id, model, sum(credit_fraction) as fraction_sum from {batch} "
             "group by order_id, model having abs(sum(credit_fraction) - 1) > 0.000000001 "
             "order by abs(sum(credit_fraction) - 1) desc, order_id, model"),
        rows("credits_sum_to_order_revenue",
             "per (order_id, model) credited revenue sums to the order revenue (to the cent), "
             "under every rule-based model, and only converting orders are credited",
             "with sums as (select order_id, model, round(sum(credited_revenue), 2) as credited_revenue "
             "from {batch} group by order_id, model), "
             "expected as (select orders.order_id, models.model, orders.revenue from {m}.fct_order_attribution "
             "as orders cross join " + values_table(RULE_MODELS, "models(model)") + ") "
             "select coalesce(expected.order_id, sums.order_id) as order_id, "
             "coalesce(expected.model, sums.model) as model, expected.revenue as order_revenue, "
             "sums.credited_revenue from expected full outer join sums "
             "on sums.order_id = expected.order_id and sums.model = expected.model "
             "where sums.credited_revenue is distinct from expected.revenue "
             "order by abs(coalesce(sums.credited_revenue, 0) - coalesce(expected.revenue, 0)) desc, 1, 2"),
        rows("credit_within_order_revenue", "no single credit exceeds its order's revenue",
             "select credits.order_id, credits.model, credits.touchpoint_id, credits.credited_revenue, "
             "orders.revenue as order_revenue from {batch} as credits "
             "join {m}.fct_order_attribution as orders on orders.order_id = credits.order_id "
             "where credits.credited_revenue > orders.revenue "
             "order by credits.credited_revenue - orders.revenue desc, credits.order_id"),
    ]
    return mart_suite(mart, store_level(cols), tail,
                      "one row per (order_id, model, touchpoint); credits reconcile to the order")


def orders(mart: MartTests, tol: int) -> MartSuite:
    grain = mart.grain
    cols = ("store_id", "order_id", "customer_id", "converted_at", "converted_date", "revenue", "profit",
            "touch_count", "first_touch_channel", "first_touch_source", "first_touch_at", "last_touch_channel",
            "last_touch_source", "last_touch_at", "days_to_convert", "channel_path")
    tail = [
        *(not_null(c, grain) for c in ("customer_id", "touch_count")),
        *at_least_zero(("revenue", "touch_count", "days_to_convert"), grain),
        in_set("first_touch_channel", CREDIT_CHANNELS, grain),
        in_set("last_touch_channel", CREDIT_CHANNELS, grain),
        regex("channel_path", CHANNEL_PATH_REGEX, grain, "channel_path_format",
              "channel_path is `unattributed` or channels joined with ' > '"),
        rows("touch_order", "first touch <= last touch <= conversion",
             "select order_id, first_touch_at, last_touch_at, converted_at from {batch} "
             "where first_touch_at > last_touch_at or last_touch_at > converted_at "
             "order by greatest(first_touch_at - last_touch_at, last_touch_at - converted_at) desc, order_id"),
        no_future("converted_at", grain, "converted_at", tol),
        rows("converted_date_is_store_local", "converted_date is the store-local day of converted_at",
             "select orders.order_id, orders.converted_at, orders.converted_date, stores.timezone "
             "from {batch} as orders join {m}.dim_stores as stores on stores.store_id = orders.store_id "
             "where (orders.converted_at at time zone stores.timezone)::date <> orders.converted_date "
             "order by orders.order_id"),
    ]
    return mart_suite(mart, store_level(cols), tail, "one row per converting order")


def channel_daily(mart: MartTests, tol: int) -> MartSuite:
    grain = mart.grain
    amounts = ("attributed_conversions", "attributed_revenue", "attributed_profit")
    tail = [
        *(not_null(c, grain) for c in amounts),
        in_set("model", RULE_MODELS, grain),
        in_set("channel", CREDIT_CHANNELS, grain),
        *at_least_zero(("attributed_conversions", "attributed_revenue"), grain),
        no_future("date", grain, "date", tol, is_date=True),
        rows("equals_credits",
             "per (store, model, channel, month) the daily attribution equals the sum of fct_attribution_credits",
             "with daily as (select store_id, model, channel, date_trunc('month', date)::date as month_start, "
             "sum(attributed_revenue) as revenue, sum(attributed_conversions) as conversions from {batch} "
             "group by 1, 2, 3, 4), "
             "credits as (select credits.store_id, credits.model, credits.channel, "
             "date_trunc('month', (credits.converted_at at time zone stores.timezone)::date)::date as month_start, "
             "sum(credits.credited_revenue) as revenue, sum(credits.credited_conversions) as conversions "
             "from {m}.fct_attribution_credits as credits "
             "join {m}.dim_stores as stores on stores.store_id = credits.store_id group by 1, 2, 3, 4) "
             "select coalesce(daily.store_id, credits.store_id) as store_id, "
             "coalesce(daily.model, credits.model) as model, coalesce(daily.channel, credits.channel) as channel, "
             "coalesce(daily.month_start, credits.month_start) as month_start, daily.revenue as daily_revenue, "
             "credits.revenue as credited_revenue, daily.conversions as daily_conversions, "
             "credits.conversions as credited_conversions "
             "from daily full outer join credits on credits.store_id = daily.store_id "
             "and credits.model = daily.model and credits.channel = daily.channel "
             "and credits.month_start = daily.month_start "
             "where daily.revenue is distinct from credits.revenue "
             "or abs(coalesce(daily.conversions, 0) - coalesce(credits.conversions, 0)) > 0.001 "
             "order by abs(coalesce(daily.revenue, 0) - coalesce(credits.revenue, 0)) desc, 1, 2, 3, 4"),
    ]
    cols = (*grain, *amounts)
    return mart_suite(mart, store_level(cols), tail, "one row per (store, date, model, channel)")


def paths(mart: MartTests) -> MartSuite:
    grain = mart.grain
    counts = ("conversions", "conversion_value", "null_conversions")
    tail = [
        *(not_null(c, grain) for c in counts),
        *at_least_zero(("conversions", "null_conversions", "conversion_value"), grain),
        month_start_is_first_day(grain),
        rows("path_has_journeys", "every path row counts at least one journey",
             "select store_id, month_start, channel_path, conversions, null_conversions from {batch} "
             "where conversions + null_conversions <= 0 order by store_id, month_start"),
        rows("conversions_equal_converting_orders",
             "per (store, month) conversions and conversion_value equal the converting orders of "
             "fct_order_attribution",
             "with paths as (select store_id, month_start, sum(conversions) as conversions, "
             "sum(conversion_value) as conversion_value from {batch} group by 1, 2 having sum(conversions) > 0), "
             "orders as (select store_id, date_trunc('month', converted_date)::date as month_start, "
             "count(*) as conversions, sum(revenue) as conversion_value from {m}.fct_order_attribution "
             "group by 1, 2) "
             "select coalesce(paths.store_id, orders.store_id) as store_id, "
             "coalesce(paths.month_start, orders.month_start) as month_start, "
             "paths.conversions as path_conversions, orders.conversions as converting_orders, "
             "paths.conversion_value as path_value, orders.conversion_value as order_revenue "
             "from paths full outer join orders on orders.store_id = paths.store_id "
             "and orders.month_start = paths.month_start "
             "where paths.conversions is distinct from orders.conversions "
             "or paths.conversion_value is distinct from orders.conversion_value "
             "order by abs(coalesce(paths.conversions, 0) - coalesce(orders.conversions, 0)) desc, "
             "abs(coalesce(paths.conversion_value, 0) - coalesce(orders.conversion_value, 0)) desc, 1, 2"),
    ]
    return mart_suite(mart, store_level((*grain, *counts)), tail, "one row per (store, month, channel_path)")

