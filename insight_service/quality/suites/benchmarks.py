"""Suites of the benchmark marts: the bands, the FX rates and the comparison of each store's
metrics with the bands. Grain, not-null columns, accepted values and row rules (money bands
have a currency, rates are positive, the conversion is consistent, ...) come from their dbt tests,
the band order and the store currencies' rates from singular tests (tests/*.sql)."""
from __future__ import annotations

from insight_service.core.vocabulary import CHANNELS
from insight_service.quality.builders import contract_columns, has_rows, in_set, keys, rows, store_level
from insight_service.quality.check import MartSuite, lit, values_table
from insight_service.quality.dbt_tests import MartTests, accepted_values
from insight_service.quality.from_dbt import mart_suite

BENCHMARK_METRICS: tuple[str, ...] = ("conversion_rate", "roas", "cpa", "cpc", "engagement_rate", "bounce_rate")


def benchmarks(mart: MartTests) -> MartSuite:
    grain = mart.grain
    head = [contract_columns((*grain, "poor", "average", "good", "excellent", "direction")), has_rows()]
    tail = [
        in_set("channel", CHANNELS, grain),
        rows("required_metrics_seeded",
             "conversion_rate, roas, cpa, cpc, engagement_rate, bounce_rate have `general` bands, and at "
             "least three industries besides `general` are seeded",
             "select required.metric, count(b.metric) as general_rows from "
             + values_table(BENCHMARK_METRICS, "required(metric)") + " "
             "left join {batch} as b on b.metric = required.metric and b.industry = 'general' "
             "group by required.metric having count(b.metric) = 0 "
             "union all select 'industries besides general: ' || count(distinct industry), null from {batch} "
             "where industry <> 'general' having count(distinct industry) < 3 order by 1"),
    ]
    return mart_suite(mart, head, tail, "one row per (channel, metric, industry)")


def fx_rates(mart: MartTests) -> MartSuite:
    grain = mart.grain
    head = [contract_columns((*grain, "rate", "base_currency", "provenance")), has_rows()]
    tail = [
        # rate > 0 is the dbt test dim_fx_rates_positive_and_not_identity
        rows("rate_has_inverse", "the pair the other way round has the inverse rate (same month)",
             "select a.from_currency, a.to_currency, a.rate_month, a.rate, b.rate as inverse from {batch} as a "
             "left join {m}.dim_fx_rates as b on b.from_currency = a.to_currency "
             "and b.to_currency = a.from_currency and b.rate_month = a.rate_month "
             "where b.rate is null or abs(a.rate * b.rate - 1) > 0.000001 "
             "order by a.rate_month desc, a.from_currency, a.to_currency"),
    ]
    return mart_suite(mart, head, tail,
                      "one row per (from_currency, to_currency, rate_month): monthly average FX rates")


def _rating_sql(value: str) -> str:
    """The warehouse's own rating of ``value`` (function benchmark_rating, built by dbt from
    macros/benchmarks.sql): the rule is written once, never restated here."""
    return f"{{m}}.benchmark_rating({value}, direction, average, good, excellent)"


def comparison(mart: MartTests) -> MartSuite:
    grain = mart.grain
    cols = (*grain, "industry", "value", "poor", "average", "good", "excellent", "direction", "rating",
            "currency", "benchmark_currency", "fx_rate", "fx_rate_date", "value_in_benchmark_currency")
    key = keys(grain)
    metric_case = "case c.metric " + " ".join(
        f"when {lit(m)} then u.{m}" for m in (*BENCHMARK_METRICS, "roi")) + " end"
    tail = [
        in_set("period", accepted_values("fct_unified_metrics", "period"), grain),
        in_set("direction", accepted_values("dim_benchmarks", "direction"), grain),
        in_set("channel", CHANNELS, grain),
        rows("rating_matches_bands",
             "rating follows value_in_benchmark_currency and the bands (>= for higher_is_better, <= for "
             "lower_is_better; no value or no FX rate -> insufficient_data), by the warehouse's rule",
             # the value is stored rounded to 4 places: a rating at a band edge may follow either side
             f"select {key}, value, value_in_benchmark_currency, rating, direction, poor, average, good, "
             f"excellent from {{batch}} "
             f"where rating not in ({_rating_sql('value_in_benchmark_currency')}, "
             f"{_rating_sql('value_in_benchmark_currency + 0.00005')}, "
             f"{_rating_sql('value_in_benchmark_currency - 0.00005')}) order by {key}"),
        rows("fx_rate_matches_dim_fx_rates",
             "a converted row uses the latest monthly rate of dim_fx_rates on or before period_start",
             "select c.store_id, c.channel, c.metric, c.period, c.period_start, c.fx_rate, c.fx_rate_date, "
             "r.rate as expected_rate, r.rate_month as expected_month from {batch} as c "
             "left join lateral (select rate, rate_month from {m}.dim_fx_rates as x "
             "where x.from_currency = c.currency and x.to_currency = c.benchmark_currency "
             "and x.rate_month <= c.period_start order by x.rate_month desc limit 1) as r on true "
             "where c.benchmark_currency is not null and c.currency is distinct from c.benchmark_currency "
             "and (c.fx_rate is distinct from r.rate or c.fx_rate_date is distinct from r.rate_month) "
             "order by c.store_id, c.channel, c.metric, c.period, c.period_start"),
        rows("fx_rate_is_recent",
             "the FX rate of a converted row is from the period's month or the two before (older: the "
             "fx_rates seed needs a refresh, see `insights fx-rates import`)",
             "select store_id, currency, benchmark_currency, max(fx_rate_date) as rate_month, "
             "max(period_start) as latest_period from {batch} "
             "where fx_rate_date < (date_trunc('month', period_start) - interval '2 months')::date "
             "group by store_id, currency, benchmark_currency order by store_id", severity="warning"),
        rows("industry_is_stores_or_general", "industry is the store's benchmark industry or `general`",
             "select c.store_id, c.channel, c.metric, c.industry, s.industry as store_industry from {batch} as c "
             "join {m}.dim_stores as s on s.store_id = c.store_id "
             "where c.industry <> 'general' and c.industry is distinct from s.industry "
             "and c.industry is distinct from s.benchmark_industry "
             "group by 1, 2, 3, 4, 5 order by 1, 2, 3"),
        rows("value_matches_unified_metrics",
             "value is the channel rollup's metric in fct_unified_metrics (same store, period, period_start)",
             f"select c.store_id, c.channel, c.metric, c.period, c.period_start, c.value, "
             f"{metric_case} as unified_value from {{batch}} as c "
             f"left join {{m}}.fct_unified_metrics as u on u.store_id = c.store_id and u.channel = c.channel "
             f"and u.source = 'all' and u.period = c.period and u.period_start = c.period_start "
             f"where c.value is distinct from round(({metric_case})::numeric, 4) "
             f"order by abs(coalesce(c.value, 0) - coalesce(({metric_case})::numeric, 0)) desc, "
             f"c.store_id, c.channel, c.metric, c.period, c.period_start"),
    ]
    return mart_suite(mart, store_level(cols), tail, "one row per (store, channel, metric, period, period_start)")
