-- one row per (store_id, channel, month_start): spend against the channel's monthly budget, with linear pacing


with  __dbt__cte__fct_unified_metrics as (

-- Fixture for fct_unified_metrics
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-15' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", 
    
    cast('2024-03-16 06:00:00+00' as timestamp with time zone)
 as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-04-20' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", 
    
    cast('2024-03-16 06:00:00+00' as timestamp with time zone)
 as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(950.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(89.99 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(220.01 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-02-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(900.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-02-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(110.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-02-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(179.99 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(500.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(60.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(50.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(500.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
),  __dbt__cte__dim_stores as (

-- Fixture for dim_stores
select 
    
    cast('s1' as text)
 as "store_id", cast(null as text) as "store_name", cast(null as text) as "industry", cast(null as text) as "benchmark_industry", cast(null as text) as "currency", 
    
    cast('America/New_York' as text)
 as "timezone", cast(null as text) as "status", cast(null as timestamp with time zone) as "created_at"
),  __dbt__cte__stg_shop__marketing_channels as (

-- Fixture for stg_shop__marketing_channels
select 
    
    cast('m1' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(1000.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('active' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('m2' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(500.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('paused' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('m3' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(100.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('active' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('m4' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(200.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('active' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
), unified as (
    select store_id, channel, source, period, period_start, cost, loaded_at
    from __dbt__cte__fct_unified_metrics
),

stores as (
    select store_id, timezone from __dbt__cte__dim_stores
),

store_calendar as (
    -- "today" of a store = its latest store-local day with data (deterministic, unlike now()), ignoring
    -- days dated more than one day after the load that delivered them (stray future-dated rows);
    -- the month containing it is the current month
    select
        unified.store_id,
        min(unified.period_start) as first_date,
        max(unified.period_start) filter (
            where unified.loaded_at is null
               or unified.period_start <= (unified.loaded_at at time zone stores.timezone)::date + 1
        ) as as_of_date
    from unified
    inner join stores on stores.store_id = unified.store_id
    where unified.period = 'daily' and unified.channel = 'overall'
    group by unified.store_id
),

monthly_cost as (
    select store_id, channel, period_start as month_start, cost
    from unified
    where period = 'monthly' and source = 'all' and channel <> 'overall'
),

budgets as (
    -- sum over the store's active MarketingChannels of that type (current budget, applied to every month)
    select store_id, channel, sum(monthly_budget) as monthly_budget
    from __dbt__cte__stg_shop__marketing_channels
    where status = 'active'
    group by store_id, channel
),

store_channels as (
    -- channels with an active budget or with any cost
    select store_id, channel from budgets
    union
    select store_id, channel from monthly_cost where cost <> 0
),

months as (
    -- every month from the store's first data month to its current month
    select
        store_calendar.store_id,
        store_calendar.as_of_date,
        spine.month_start
    from store_calendar
    cross join lateral (select spine::date as month_start
     from generate_series(((date_trunc('month', (store_calendar.first_date)::timestamp)::date))::timestamp, ((date_trunc('month', (store_calendar.as_of_date)::timestamp)::date))::timestamp,
                          interval '1 month') as spine) as spine
),

measured as (
    select
        months.store_id,
        store_channels.channel,
        months.month_start,
        ((date_trunc('month', (months.month_start)::timestamp) + interval '1 month')::date - 1)                          as month_end,
        months.as_of_date,
        months.month_start = (date_trunc('month', (months.as_of_date)::timestamp)::date)  as is_current_month,
        budgets.monthly_budget,
        coalesce(monthly_cost.cost, 0)                                          as spent,
        extract(day from ((date_trunc('month', (months.month_start)::timestamp) + interval '1 month')::date - 1))::integer as days_in_month
    from months
    inner join store_channels on store_channels.store_id = months.store_id
    left join budgets
        on budgets.store_id = months.store_id and budgets.channel = store_channels.channel
    left join monthly_cost
        on monthly_cost.store_id = months.store_id
       and monthly_cost.channel = store_channels.channel
       and monthly_cost.month_start = months.month_start
),

paced as (
    select
        measured.*,
        case when is_current_month then extract(day from as_of_date)::integer else days_in_month end as days_elapsed
    from measured
),

projected as (
    select
        paced.*,
        -- linear pace to month end for the current month; past months are final
        case when is_current_month then round(spent / days_elapsed * days_in_month, 2) else spent end as projected_spend
    from paced
)

select
    store_id::text                                                          as store_id,
    channel::text                                                           as channel,
    month_start::date                                                       as month_start,
    monthly_budget::numeric(18,2)                                           as monthly_budget,
    spent::numeric(18,2)                                                    as spent,
    round((case
        when (monthly_budget) is null or (monthly_budget) = 0 then null
        else (spent)::numeric * 100 / (monthly_budget)::numeric
    end), 4)::numeric(20,4) as utilization_pct,
    days_elapsed::integer                                                   as days_elapsed,
    days_in_month::integer                                                  as days_in_month,
    projected_spend::numeric(18,2)                                          as projected_spend,
    (case
        when monthly_budget is null or monthly_budget = 0 then null
        when projected_spend < 0.9 * monthly_budget then 'under'
        when projected_spend > 1.1 * monthly_budget then 'over'
        else 'on'
    end)::text                                                              as pacing,
    round((case
        when (monthly_budget) is null or (monthly_budget) = 0 then null
        else (projected_spend)::numeric * 100 / (monthly_budget)::numeric
    end), 4)::numeric(20,4) as projected_utilization_pct,
    month_end::date                                                         as month_end,
    is_current_month::boolean                                               as is_current_month,
    as_of_date::date                                                        as as_of_date
from projected