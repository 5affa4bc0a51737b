"""Suites of the attribution marts: credits, converting orders, daily channel attribution and
conversion paths. Grain, not-null columns, accepted values and row rules come from their dbt
tests (:mod:`insight_service.quality.from_dbt`) and the reconciliations from its singular tests
(tests/attribution/*.sql, :mod:`insight_service.quality.singular_tests`); here is what dbt does
not assert on every row."""
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
from insight_service.quality.check import MartSuite
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
    ]
    return mart_suite(mart, store_level((*grain, *counts)), tail, "one row per (store, month, channel_path)")

