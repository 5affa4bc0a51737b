
    -- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "period_start","value","rating","direction", 'actual' as "actual_or_expected"
  from (
    -- one row per (store_id, channel, metric, period, period_start): a channel's metric against its industry band


with  __dbt__cte__fct_unified_metrics as (

-- Fixture for fct_unified_metrics
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('weekly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", cast(null as numeric(18,2)) as "cost", cast(null as numeric(20,4)) as "conversion_rate", 
    
    cast(0.5 as numeric(18,4))
 as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('weekly' as text)
 as "period", 
    
    cast('2024-01-08' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", cast(null as numeric(18,2)) as "cost", cast(null as numeric(20,4)) as "conversion_rate", 
    
    cast(0.5001 as numeric(18,4))
 as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('weekly' as text)
 as "period", 
    
    cast('2024-01-15' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", cast(null as numeric(18,2)) as "cost", cast(null as numeric(20,4)) as "conversion_rate", 
    
    cast(0.8 as numeric(18,4))
 as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('weekly' as text)
 as "period", 
    
    cast('2024-01-22' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", cast(null as numeric(18,2)) as "cost", cast(null as numeric(20,4)) as "conversion_rate", 
    
    cast(1.16 as numeric(18,4))
 as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('weekly' as text)
 as "period", 
    
    cast('2024-01-29' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", cast(null as numeric(18,2)) as "cost", cast(null as numeric(20,4)) as "conversion_rate", 
    
    cast(1.1601 as numeric(18,4))
 as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('weekly' as text)
 as "period", 
    
    cast('2024-02-05' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", cast(null as numeric(18,2)) as "cost", cast(null as numeric(20,4)) as "conversion_rate", 
    
    cast(null as numeric(18,4))
 as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
),  __dbt__cte__dim_stores as (

-- Fixture for dim_stores
select 
    
    cast('s1' as text)
 as "store_id", cast(null as text) as "store_name", 
    
    cast('general' as text)
 as "industry", cast(null as text) as "benchmark_industry", cast(null as text) as "currency", cast(null as text) as "timezone", cast(null as text) as "status", cast(null as timestamp with time zone) as "created_at"
),  __dbt__cte__dim_benchmarks as (

-- Fixture for dim_benchmarks
select 
    
    cast('ads' as text)
 as "channel", 
    
    cast('cpc' as text)
 as "metric", 
    
    cast('general' as text)
 as "industry", 
    
    cast(1.8 as numeric(12,4))
 as "poor", 
    
    cast(1.16 as numeric(12,4))
 as "average", 
    
    cast(0.8 as numeric(12,4))
 as "good", 
    
    cast(0.5 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "unit", cast(null as text) as "metric_description", cast(null as text) as "source_id", cast(null as text) as "source_publisher", cast(null as text) as "source_title", cast(null as text) as "source_year", cast(null as text) as "source_url"
), channel_rows as (
    -- channel rollups only (source `all`); `overall` has no bands
    select * from __dbt__cte__fct_unified_metrics
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
    select store_id, industry from __dbt__cte__dim_stores
),

benchmarks as (
    select * from __dbt__cte__dim_benchmarks
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
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "period_start", "value", "rating", "direction", 'expected' as "actual_or_expected"
  from (
    select 
    
    cast('2024-01-01' as date)
 as "period_start", 
    
    cast('0.5000' as numeric(20,4))
 as "value", 
    
    cast('excellent' as text)
 as "rating", 
    
    cast('lower_is_better' as text)
 as "direction"
union all
select 
    
    cast('2024-01-08' as date)
 as "period_start", 
    
    cast('0.5001' as numeric(20,4))
 as "value", 
    
    cast('good' as text)
 as "rating", 
    
    cast('lower_is_better' as text)
 as "direction"
union all
select 
    
    cast('2024-01-15' as date)
 as "period_start", 
    
    cast('0.8000' as numeric(20,4))
 as "value", 
    
    cast('good' as text)
 as "rating", 
    
    cast('lower_is_better' as text)
 as "direction"
union all
select 
    
    cast('2024-01-22' as date)
 as "period_start", 
    
    cast('1.1600' as numeric(20,4))
 as "value", 
    
    cast('average' as text)
 as "rating", 
    
    cast('lower_is_better' as text)
 as "direction"
union all
select 
    
    cast('2024-01-29' as date)
 as "period_start", 
    
    cast('1.1601' as numeric(20,4))
 as "value", 
    
    cast('poor' as text)
 as "rating", 
    
    cast('lower_is_better' as text)
 as "direction"
union all
select 
    
    cast('2024-02-05' as date)
 as "period_start", 
    
    cast(null as numeric(20,4))
 as "value", 
    
    cast('insufficient_data' as text)
 as "rating", 
    
    cast('lower_is_better' as text)
 as "direction"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected