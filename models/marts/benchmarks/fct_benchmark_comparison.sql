-- one row per (store_id, channel, metric, period, period_start): a channel's metric against its industry band,
-- money metrics converted into the band's currency first (macros/benchmarks.sql holds the rule, written once)
{{ config(
    materialized='table',
    indexes=[
        {'columns': ['store_id', 'channel', 'metric', 'period', 'period_start'], 'unique': true},
        {'columns': ['store_id', 'period', 'period_start']},
    ],
    post_hook="{{ benchmark_functions_hook(this.schema) }}",
) }}

{#- metric name -> column of fct_unified_metrics (benchmark_metrics names are the column names; a seeded
    metric outside this list fails tests/metrics/assert_benchmark_metrics_are_unified_columns.sql) -#}
{%- set metric_columns = metrics_benchmarkable_columns() %}

with channel_rows as (
    -- channel rollups only (source `all`); `overall` has no bands
    select * from {{ ref('fct_unified_metrics') }}
    where source = 'all' and channel <> 'overall'
),

values_long as (
    -- one row per benchmarked metric of each channel row
    {%- for metric in metric_columns %}
    select store_id, channel, period, period_start, '{{ metric }}'::{{ text_type() }} as metric,
           {{ metric }}::{{ benchmark_value_type() }} as value
    from channel_rows
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

stores as (
    -- the industry the bands are read for and the currency every money value is in
    select store_id, industry, currency from {{ ref('dim_stores') }}
),

benchmarks as (
    -- every seeded band with its direction and, for money, its currency
    select * from {{ ref('dim_benchmarks') }}
),

matched as (
    -- the store's own industry band when it exists for (channel, metric), else `general`
    select
        values_long.*,
        stores.currency,
        coalesce(own.industry, general.industry)       as industry,
        coalesce(own.poor, general.poor)               as poor,
        coalesce(own.average, general.average)         as average,
        coalesce(own.good, general.good)               as good,
        coalesce(own.excellent, general.excellent)     as excellent,
        coalesce(own.direction, general.direction)     as direction,
        -- the chosen band's own currency (null: not money), never mixed between the two bands
        (case when own.metric is not null then own.currency else general.currency end) as benchmark_currency
    from values_long
    inner join stores on stores.store_id = values_long.store_id
    left join benchmarks as own
        on own.channel = values_long.channel and own.metric = values_long.metric and own.industry = stores.industry
    left join benchmarks as general
        on general.channel = values_long.channel and general.metric = values_long.metric
       and general.industry = 'general'
    where own.metric is not null or general.metric is not null
),

fx_keys as (
    -- the few (store currency, band currency, period start) that need a rate: money bands of stores in another currency
    select distinct currency, benchmark_currency, period_start
    from matched
    where benchmark_currency is not null and currency is distinct from benchmark_currency
),

fx as (
    -- each key's monthly average as of the period's first day (the latest month on or before it)
    select fx_keys.*, rate.fx_rate, rate.fx_rate_date
    from fx_keys
    left join lateral (
        {{ fx_rate_as_of(ref('dim_fx_rates'), 'fx_keys.currency', 'fx_keys.benchmark_currency',
                         'fx_keys.period_start') }}
    ) as rate on true
),

converted as (
    -- the rate applied to each row (1 in the band's own currency, null for rates and ratios)
    select
        matched.*,
        {{ benchmark_fx_rate('matched.currency', 'matched.benchmark_currency', 'fx.fx_rate') }} as fx_rate,
        {{ benchmark_fx_rate_date('matched.currency', 'matched.benchmark_currency', 'fx.fx_rate_date') }}
            as fx_rate_date
    from matched
    left join fx
        on fx.currency = matched.currency
       and fx.benchmark_currency = matched.benchmark_currency
       and fx.period_start = matched.period_start
),

compared as (
    -- the value the band is compared with: rated unrounded, shown rounded
    select
        converted.*,
        {{ benchmark_converted_value('converted.value', 'converted.benchmark_currency', 'converted.fx_rate') }}
            as value_in_benchmark_currency
    from converted
)

select
    store_id::{{ text_type() }}                                          as store_id,
    channel::{{ text_type() }}                                           as channel,
    metric::{{ text_type() }}                                            as metric,
    period::{{ text_type() }}                                            as period,
    period_start::date                                      as period_start,
    industry::{{ text_type() }}                                          as industry,
    round(value, 4)::numeric(20,4)                          as value,
    poor::numeric(12,4)                                     as poor,
    average::numeric(12,4)                                  as average,
    good::numeric(12,4)                                     as good,
    excellent::numeric(12,4)                                as excellent,
    direction::{{ text_type() }}                                         as direction,
    {{ benchmark_rating('value_in_benchmark_currency', 'direction', 'average', 'good', 'excellent') }}
        ::{{ text_type() }} as rating,
    currency::{{ text_type() }}                                          as currency,
    benchmark_currency::{{ text_type() }}                                as benchmark_currency,
    fx_rate::numeric(20,10)                                 as fx_rate,
    fx_rate_date::date                                      as fx_rate_date,
    round(value_in_benchmark_currency, 4)::numeric(20,4)    as value_in_benchmark_currency,
    {{ benchmark_rating_reason('value', 'value_in_benchmark_currency', 'direction') }}::{{ text_type() }}
        as rating_reason
from compared
