"""Suites of the reference and bookkeeping marts: stores, channels, the build, source freshness
and the quarantine. Grain, not-null columns and accepted values come from their dbt tests."""
from __future__ import annotations

from insight_service.core.vocabulary import CHANNELS, RULE_MODELS
from insight_service.quality.builders import between, contract_columns, has_rows, in_set, not_null, rows
from insight_service.quality.check import Check, MartSuite, values_table
from insight_service.quality.dbt_tests import MartTests
from insight_service.quality.from_dbt import mart_suite
from insight_service.warehouse.raw_schema import RAW_TABLES


def stores(mart: MartTests) -> MartSuite:
    grain = mart.grain
    head = [contract_columns(("store_id", "timezone", "currency", "industry")), has_rows()]
    tail = [
        not_null("currency", grain),
        rows("timezone_is_known", "timezone is an IANA name PostgreSQL knows",
             "select store_id, timezone from {batch} "
             "where timezone not in (select name from pg_timezone_names) order by store_id"),
    ]
    return mart_suite(mart, head, tail, "one row per store")


def channels(mart: MartTests) -> MartSuite:
    grain = mart.grain
    tail = [
        in_set("channel", CHANNELS, grain),
        rows("every_channel_listed", "every contract channel has a row",
             "select wanted.channel from " + values_table(CHANNELS, "wanted(channel)") + " "
             "where not exists (select 1 from {batch} as d where d.channel = wanted.channel) order by 1"),
    ]
    return mart_suite(mart, [contract_columns(("channel",)), has_rows()], tail, "one row per channel")


def build_info(mart: MartTests) -> MartSuite:
    grain = mart.grain
    head = [
        contract_columns(("build_id", "built_at", "attribution_default_model")),
        Check("one_row", "ExpectTableRowCountToEqual", {"value": 1}, "exactly one build row",
              offenders="select build_id, built_at from {batch} order by built_at desc"),
    ]
    tail = [not_null("built_at", grain), in_set("attribution_default_model", RULE_MODELS, grain)]
    return mart_suite(mart, head, tail, "the build that produced the marts")


def source_freshness(mart: MartTests) -> MartSuite:
    grain = mart.grain
    tail = [
        in_set("source_table", RAW_TABLES, grain),
        between("rows", grain, 0),
        rows("every_source_listed", "every raw table has a freshness row",
             "select wanted.source_table from " + values_table(RAW_TABLES, "wanted(source_table)") + " "
             "where not exists (select 1 from {batch} as f where f.source_table = wanted.source_table) order by 1"),
    ]
    head = [contract_columns(("source_table", "last_loaded_at", "rows", "status"))]
    return mart_suite(mart, head, tail, "per raw table: last load, rows, status")


def quarantine(mart: MartTests, max_rate_pct: float) -> MartSuite:
    grain = mart.grain
    tail = [
        not_null("detected_at", grain),
        in_set("table_name", RAW_TABLES, grain),
        rows("quarantine_rate",
             f"quarantined rows (excluding superseded duplicates) stay under {max_rate_pct:g} % of a raw table",
             "with q as (select table_name, count(*) filter (where reason <> 'duplicate') as quarantined "
             "from {batch} group by 1) "
             "select q.table_name, q.quarantined, f.rows as accepted_rows, "
             "round(q.quarantined * 100.0 / nullif(q.quarantined + f.rows, 0), 2) as quarantined_pct "
             "from q join {m}.mart_source_freshness as f on f.source_table = q.table_name "
             f"where q.quarantined * 100.0 > {max_rate_pct!r} * (q.quarantined + f.rows) "
             "order by q.quarantined * 1.0 / nullif(q.quarantined + f.rows, 0) desc nulls first, 1",
             severity="warning"),
    ]
    head = [contract_columns(("table_name", "row_key", "reason", "detected_at"))]
    return mart_suite(mart, head, tail, "the quarantine: raw rows the marts exclude")
