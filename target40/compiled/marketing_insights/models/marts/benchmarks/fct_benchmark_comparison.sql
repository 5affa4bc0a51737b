-- one row per (store_id, channel, metric, period, period_start): a channel's metric against its industry band


with channel_rows as (
    -- channel rollups only (source `all`); `overall` has no bands
    select * from "gen40"."marts"."fct_unified_metrics"
    where source = 'all' and channel <> 'overall'
),

values_long as (
    -- one row per benchmarked metric of each channel row
    select store_id, channel, period, period_start, 'conversion_rate'::text as metric, conversion_rate::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'bounce_rate'::text as metric, bounce_rate::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'engagement_rate'::text as metric, engagement_rate::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'cpc'::text as metric, cpc::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'cpa'::text as metric, cpa::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'roas'::text as metric, roas::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'roi'::text as metric, roi::numeric as value
    from channel_rows
    union all
    select store_id, channel, period, period_start, 'avg_session_duration_s'::text as metric, avg_session_duration_s::numeric as value
    from channel_rows
    
),

stores as (
    select store_id, industry from "gen40"."marts"."dim_stores"
),

benchmarks as (
    select * from "gen40"."marts"."dim_benchmarks"
),

matched as (
    -- the store's own industry band when it exists for (channel, metric), else `general`
    select
        values_long.*,
        coalesce(own.industry, general.industry)       as industry,
        coalesce(own.poor, general.poor)               as poor,
        coalesce(own.average, general.average)         as average,
        coalesce(own.good, general.good)               as good,
        coalesce(own.excellent, general.excellent)     as excellent,
        coalesce(own.direction, general.direction)     as direction
    from values_long
    inner join stores on stores.store_id = values_long.store_id
    left join benchmarks as own
        on own.channel = values_long.channel and own.metric = values_long.metric and own.industry = stores.industry
    left join benchmarks as general
        on general.channel = values_long.channel and general.metric = values_long.metric and general.industry = 'general'
    where own.metric is not null or general.metric is not null
)

select
    store_id::text                  as store_id,
    channel::text                   as channel,
    metric::text                    as metric,
    period::text                    as period,
    period_start::date              as period_start,
    industry::text                  as industry,
    round(value, 4)::numeric(20,4)  as value,
    poor::numeric(12,4)             as poor,
    average::numeric(12,4)          as average,
    good::numeric(12,4)             as good,
    excellent::numeric(12,4)        as excellent,
    direction::text                 as direction,
    (case
        when value is null then 'insufficient_data'
        when direction = 'higher_is_better' then
            case when value >= excellent then 'excellent'
                 when value >= good then 'good'
                 when value >= average then 'average'
                 else 'poor' end
        when direction = 'lower_is_better' then
            case when value <= excellent then 'excellent'
                 when value <= good then 'good'
                 when value <= average then 'average'
                 else 'poor' end
    end)::text                      as rating
from matched