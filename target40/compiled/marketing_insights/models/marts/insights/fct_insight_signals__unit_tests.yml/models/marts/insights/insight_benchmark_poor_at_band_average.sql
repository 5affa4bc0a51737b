-- one row per deterministic marketing signal of a store (issue 7): what the insight service turns into
-- insights. Windows end at the store's latest data date (see the YAML for every rule and threshold).


with

 __dbt__cte__fct_unified_metrics as (

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
    
    cast('2024-03-10' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", 
    
    cast(5000 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(2000 as numeric(18,2))
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
    
    cast('2024-03-31' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", 
    
    cast(0 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", 
    
    cast(4 as numeric(18,6))
 as "conversions", 
    
    cast(200.0 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(100.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", 
    
    cast(4 as numeric(18,6))
 as "conversions", 
    
    cast(199.99 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(100.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('email' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", 
    
    cast(2 as numeric(18,6))
 as "conversions", 
    
    cast(100.0 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(100.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('influencer' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", 
    
    cast(2 as numeric(18,6))
 as "conversions", 
    
    cast(100.0 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(100.01 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", 
    
    cast(0 as numeric(18,6))
 as "conversions", 
    
    cast(0.0 as numeric(18,2))
 as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(99.99 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
),  __dbt__cte__dim_stores as (

-- Fixture for dim_stores
select 
    
    cast('s1' as text)
 as "store_id", cast(null as text) as "store_name", cast(null as text) as "industry", cast(null as text) as "benchmark_industry", 
    
    cast('USD' as text)
 as "currency", cast(null as text) as "timezone", cast(null as text) as "status", cast(null as timestamp with time zone) as "created_at"
),  __dbt__cte__fct_benchmark_comparison as (

-- Fixture for fct_benchmark_comparison
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('roas' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(1 as numeric(12,4))
 as "poor", 
    
    cast(2 as numeric(12,4))
 as "average", 
    
    cast(4 as numeric(12,4))
 as "good", 
    
    cast(6 as numeric(12,4))
 as "excellent", 
    
    cast('higher_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('email' as text)
 as "channel", 
    
    cast('cpa' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(80 as numeric(12,4))
 as "poor", 
    
    cast(50 as numeric(12,4))
 as "average", 
    
    cast(30 as numeric(12,4))
 as "good", 
    
    cast(20 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('influencer' as text)
 as "channel", 
    
    cast('cpa' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(80 as numeric(12,4))
 as "poor", 
    
    cast(50 as numeric(12,4))
 as "average", 
    
    cast(30 as numeric(12,4))
 as "good", 
    
    cast(20 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "rating"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('cpc' as text)
 as "metric", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-10' as date)
 as "period_start", 
    
    cast('general' as text)
 as "industry", cast(null as numeric(20,4)) as "value", 
    
    cast(0.1 as numeric(12,4))
 as "poor", 
    
    cast(0.05 as numeric(12,4))
 as "average", 
    
    cast(0.02 as numeric(12,4))
 as "good", 
    
    cast(0.01 as numeric(12,4))
 as "excellent", 
    
    cast('lower_is_better' as text)
 as "direction", cast(null as text) as "rating"
),  __dbt__cte__fct_budget_utilization as (

-- Fixture for fct_budget_utilization
select cast(null as text) as "store_id", cast(null as text) as "channel", cast(null as date) as "month_start", cast(null as numeric(18,2)) as "monthly_budget", cast(null as numeric(18,2)) as "spent", cast(null as numeric(20,4)) as "utilization_pct", cast(null as integer) as "days_elapsed", cast(null as integer) as "days_in_month", cast(null as numeric(18,2)) as "projected_spend", cast(null as text) as "pacing", cast(null as numeric(20,4)) as "projected_utilization_pct", cast(null as date) as "month_end", cast(null as boolean) as "is_current_month", cast(null as date) as "as_of_date"
    limit 0
),  __dbt__cte__fct_marketing_calendar as (

-- Fixture for fct_marketing_calendar
select cast(null as text) as "store_id", cast(null as text) as "item_type", cast(null as text) as "item_id", cast(null as text) as "channel", cast(null as text) as "source", cast(null as text) as "title", cast(null as date) as "scheduled_date", cast(null as text) as "status", cast(null as text) as "platform"
    limit 0
),  __dbt__cte__stg_influencer__campaigns as (

-- Fixture for stg_influencer__campaigns
select cast(null as text) as "campaign_id", cast(null as text) as "store_id", cast(null as text) as "campaign_name", cast(null as text) as "status", cast(null as numeric(14,2)) as "budget_allocated", cast(null as date) as "start_date", cast(null as date) as "end_date", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
    limit 0
), unified as (
    -- daily rows of the unified mart (store-local days); rollups (`all`, `overall`) and source rows
    select store_id, channel, source, period_start as day, sessions, conversions, revenue, cost
    from __dbt__cte__fct_unified_metrics
    where period = 'daily'
),

stores as (
    select store_id, currency from __dbt__cte__dim_stores
),

anchors as (
    -- a store's data range: its latest store-local day with data ends every window (as the API's default window)
    select store_id, min(day) as first_day, max(day) as as_of_date
    from unified
    where channel = 'overall' and source = 'all'
    group by store_id
),

windows as (
    -- the last complete 7-day and 28-day windows ending at as_of_date, and the window of equal length before
    select
        anchors.store_id,
        anchors.first_day,
        anchors.as_of_date,
        lengths.period,
        lengths.days,
        anchors.as_of_date - lengths.days + 1     as period_start,
        anchors.as_of_date                        as period_end,
        anchors.as_of_date - 2 * lengths.days + 1 as previous_start,
        anchors.as_of_date - lengths.days         as previous_end
    from anchors
    cross join (values ('last_7_days'::text, 7), ('last_28_days'::text, 28)) as lengths (period, days)
),

channel_windows as (
    -- channel rollups (source `all`, and the store rollup `overall`) summed over each window and the one
    -- before; a day without a row had nothing (the mart does not zero-fill)
    select
        windows.store_id,
        windows.period,
        windows.days,
        windows.period_start,
        windows.period_end,
        windows.previous_start,
        windows.previous_end,
        windows.first_day <= windows.previous_start                                           as has_previous,
        unified.channel,
        coalesce(sum(unified.revenue) filter (where unified.day >= windows.period_start), 0)      as revenue,
        coalesce(sum(unified.revenue) filter (where unified.day < windows.period_start), 0)       as previous_revenue,
        coalesce(sum(unified.cost) filter (where unified.day >= windows.period_start), 0)         as cost,
        coalesce(sum(unified.cost) filter (where unified.day < windows.period_start), 0)          as previous_cost,
        coalesce(sum(unified.conversions) filter (where unified.day >= windows.period_start), 0)  as conversions,
        coalesce(sum(unified.conversions) filter (where unified.day < windows.period_start), 0)   as previous_conversions
    from windows
    inner join unified
        on unified.store_id = windows.store_id
       and unified.source = 'all'
       and unified.day between windows.previous_start and windows.period_end
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),

store_windows as (
    -- the store rollup of each window: the materiality and severity bases
    select
        store_id,
        period,
        revenue                               as store_revenue,
        previous_revenue                      as store_previous_revenue,
        cost                                  as store_cost,
        greatest(revenue, previous_revenue)   as severity_base
    from channel_windows
    where channel = 'overall'
),

-- ---- 1. revenue decline / growth vs the previous window ------------------------------------------

revenue_changes as (
    select
        channel_windows.*,
        store_windows.store_revenue,
        store_windows.store_previous_revenue,
        store_windows.severity_base,
        round((channel_windows.revenue - channel_windows.previous_revenue) * 100
              / channel_windows.previous_revenue, 4)                                       as change_pct
    from channel_windows
    inner join store_windows
        on store_windows.store_id = channel_windows.store_id and store_windows.period = channel_windows.period
    where channel_windows.has_previous
      and channel_windows.previous_revenue > 0
),

revenue_signals as (
    select
        store_id,
        (case when change_pct < 0 then 'revenue_decline' else 'revenue_growth' end)   as signal_type,
        channel,
        'all'::text                                                                      as source,
        period,
        period_start,
        period_end,
        'revenue'::text                                                                  as metric,
        revenue                                                                          as current_value,
        previous_revenue                                                                 as comparison_value,
        'previous_period'::text                                                          as comparison_kind,
        change_pct,
        abs(revenue - previous_revenue)                                                  as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                jsonb_build_object('id', 'current_revenue', 'label', 'Revenue in the window', 'value', round((revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'previous_revenue', 'label', 'Revenue in the previous window', 'value', round((previous_revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'revenue_change', 'label', 'Revenue change (current - previous)', 'value', round((revenue - previous_revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'change_pct', 'label', 'Revenue change vs the previous window', 'value', round((change_pct)::numeric, 2), 'unit', 'percent'),
                jsonb_build_object('id', 'window_days', 'label', 'Days in each window', 'value', round((days)::numeric, 0), 'unit', 'days'),
                jsonb_build_object('id', 'threshold_change_pct', 'label', 'Change that raises the signal', 'value', round(((15)::numeric)::numeric, 2), 'unit', 'percent')
            ),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', previous_start, 'period_start_to', period_end)),
            'thresholds', jsonb_build_object(
        'insight_revenue_change_pct', (15)::numeric,
        'insight_revenue_min_share_pct', (5)::numeric
    )
        )                                                                                as evidence,
        previous_start,
        previous_end
    from revenue_changes
    where abs(change_pct) >= (15)::numeric
      -- materiality: the channel holds at least this share of the store's revenue in one of the windows
      and greatest(
            revenue * 100 / nullif(store_revenue, 0),
            previous_revenue * 100 / nullif(store_previous_revenue, 0)
          ) >= (5)::numeric
),

-- ---- 2. ROAS / CPA rated poor against the benchmark band (last 28 days) ---------------------------

bands as (
    -- the store's band per (channel, metric) as fct_benchmark_comparison applies it (same for every period)
    select distinct on (store_id, channel, metric)
        store_id, channel, metric, industry, poor, average, good, excellent, direction
    from __dbt__cte__fct_benchmark_comparison
    where metric in ('roas', 'cpa')
    order by store_id, channel, metric, period_start desc, period
),

benchmark_values as (
    select
        channel_windows.*,
        bands.metric,
        bands.industry,
        bands.poor,
        bands.average,
        bands.good,
        bands.excellent,
        bands.direction,
        store_windows.store_cost,
        store_windows.severity_base,
        -- the window's value, rounded as fct_benchmark_comparison rounds it before rating
        round(case bands.metric
                  when 'roas' then channel_windows.revenue / nullif(channel_windows.cost, 0)
                  when 'cpa' then channel_windows.cost / nullif(channel_windows.conversions, 0)
              end, 4)                                                                      as value
    from channel_windows
    inner join bands
        on bands.store_id = channel_windows.store_id and bands.channel = channel_windows.channel
    inner join store_windows
        on store_windows.store_id = channel_windows.store_id and store_windows.period = channel_windows.period
    where channel_windows.period = 'last_28_days'
      and channel_windows.channel <> 'overall'
),

benchmark_signals as (
    select
        store_id,
        (case metric when 'roas' then 'roas_below_benchmark' else 'cpa_above_benchmark' end) as signal_type,
        channel,
        'all'::text                                                                      as source,
        period,
        period_start,
        period_end,
        metric,
        value                                                                            as current_value,
        average                                                                          as comparison_value,
        'benchmark'::text                                                                as comparison_kind,
        round((value - average) * 100 / nullif(average, 0), 4)                          as change_pct,
        greatest(case metric
            -- revenue the same spend brings at the band's average ROAS, minus what it brought
            when 'roas' then cost * average - revenue
            -- conversions the same spend buys at the average CPA, minus those it bought, at the window's revenue per conversion
            else (cost / average - conversions) * revenue / conversions
        end, 0)                                                                          as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                jsonb_build_object('id', 'value', 'label', 'Channel value in the window', 'value', round((value)::numeric, 4), 'unit', case metric when 'roas' then 'ratio' else 'currency' end),
                jsonb_build_object('id', 'benchmark_average', 'label', 'Benchmark average (worse than it = poor)', 'value', round((average)::numeric, 4), 'unit', case metric when 'roas' then 'ratio' else 'currency' end),
                jsonb_build_object('id', 'benchmark_good', 'label', 'Benchmark good', 'value', round((good)::numeric, 4), 'unit', case metric when 'roas' then 'ratio' else 'currency' end),
                jsonb_build_object('id', 'benchmark_poor', 'label', 'Benchmark typical poor value', 'value', round((poor)::numeric, 4), 'unit', case metric when 'roas' then 'ratio' else 'currency' end),
                jsonb_build_object('id', 'gap_pct', 'label', 'Difference from the benchmark average', 'value', round(((value - average) * 100 / nullif(average, 0))::numeric, 2), 'unit', 'percent'),
                jsonb_build_object('id', 'cost', 'label', 'Cost in the window', 'value', round((cost)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'revenue', 'label', 'Revenue in the window', 'value', round((revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'conversions', 'label', 'Conversions in the window', 'value', round((conversions)::numeric, 2), 'unit', 'count'),
                jsonb_build_object('id', 'window_days', 'label', 'Days in the window', 'value', round((days)::numeric, 0), 'unit', 'days')
            ),
            'metric_unit', case metric when 'roas' then 'ratio' else 'currency' end,
            'industry', industry,
            'direction', direction,
            'rows', jsonb_build_array(
                jsonb_build_object('mart', 'fct_benchmark_comparison', 'store_id', store_id, 'channel', channel,
                                   'metric', metric, 'industry', industry),
                jsonb_build_object('mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel,
                                   'source', 'all', 'period', 'daily', 'period_start_from', period_start,
                                   'period_start_to', period_end)),
            'thresholds', jsonb_build_object(
        'insight_min_cost_share_pct', (5)::numeric
    )
        )                                                                                as evidence,
        null::date                                                                       as previous_start,
        null::date                                                                       as previous_end
    from benchmark_values
    where value is not null
      and cost > 0  -- a ratio over a non-positive cost (ledger credits) is not rated
      and average is not null
      and average <> 0
      and ((direction = 'higher_is_better' and value < average)
           or (direction = 'lower_is_better' and value > average))
      and cost * 100 / nullif(store_cost, 0) >= (5)::numeric
),

-- ---- 3. budget under-utilised / over-paced (current month) ----------------------------------------

budget_current as (
    select
        budget.store_id,
        budget.channel,
        budget.month_start,
        budget.monthly_budget,
        budget.spent,
        budget.days_elapsed,
        budget.days_in_month,
        budget.projected_spend,
        anchors.as_of_date,
        round(budget.projected_spend * 100 / budget.monthly_budget, 4)                      as projected_utilization_pct,
        -- ROAS of the channel over the last 28 days (prices the unspent budget); none when the window's
        -- cost is not positive (ledger credits can make it negative)
        round(case when recent.cost > 0 then recent.revenue / recent.cost end, 4)          as recent_roas,
        store_windows.severity_base
    from __dbt__cte__fct_budget_utilization as budget
    inner join anchors
        on anchors.store_id = budget.store_id
       and budget.month_start = date_trunc('month', anchors.as_of_date::timestamp)::date
    left join channel_windows as recent
        on recent.store_id = budget.store_id and recent.channel = budget.channel and recent.period = 'last_28_days'
    left join store_windows
        on store_windows.store_id = budget.store_id and store_windows.period = 'last_28_days'
    where budget.monthly_budget > 0
      and budget.days_elapsed >= (7)::numeric
),

budget_signals as (
    select
        store_id,
        (case when projected_utilization_pct <= (80)::numeric
              then 'budget_underutilized' else 'budget_overpacing' end)                  as signal_type,
        channel,
        'all'::text                                                                      as source,
        'current_month'::text                                                            as period,
        month_start                                                                      as period_start,
        as_of_date                                                                       as period_end,
        'projected_spend'::text                                                          as metric,
        projected_spend                                                                  as current_value,
        monthly_budget                                                                   as comparison_value,
        'budget'::text                                                                   as comparison_kind,
        round(projected_utilization_pct - 100, 4)                                        as change_pct,
        (case when projected_utilization_pct <= (80)::numeric
              -- the unspent budget at the channel's recent ROAS (never below 0; null without a ROAS)
              then case when recent_roas is not null
                        then greatest((monthly_budget - projected_spend) * recent_roas, 0) end
              -- the projected overspend (money at stake is cost here)
              else projected_spend - monthly_budget end)                                 as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                jsonb_build_object('id', 'monthly_budget', 'label', 'Monthly budget', 'value', round((monthly_budget)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'spent', 'label', 'Spent so far this month', 'value', round((spent)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'projected_spend', 'label', 'Projected spend at the current pace', 'value', round((projected_spend)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'projected_utilization_pct', 'label', 'Projected spend as a share of the budget', 'value', round((projected_utilization_pct)::numeric, 2), 'unit', 'percent'),
                jsonb_build_object('id', 'budget_gap', 'label', 'Budget minus projected spend', 'value', round((monthly_budget - projected_spend)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'days_elapsed', 'label', 'Days of the month elapsed', 'value', round((days_elapsed)::numeric, 0), 'unit', 'days'),
                jsonb_build_object('id', 'days_in_month', 'label', 'Days in the month', 'value', round((days_in_month)::numeric, 0), 'unit', 'days'),
                jsonb_build_object('id', 'recent_roas', 'label', 'Channel ROAS over the last 28 days', 'value', round((recent_roas)::numeric, 4), 'unit', 'ratio')
            ),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_budget_utilization', 'store_id', store_id, 'channel', channel, 'month_start', month_start)),
            'thresholds', jsonb_build_object(
        'insight_budget_under_pct', (80)::numeric,
        'insight_budget_over_pct', (120)::numeric,
        'insight_budget_min_days_elapsed', (7)::numeric
    )
        )                                                                                as evidence,
        null::date                                                                       as previous_start,
        null::date                                                                       as previous_end
    from budget_current
    where projected_utilization_pct <= (80)::numeric
       or projected_utilization_pct >= (120)::numeric
),

-- ---- 4. falling marginal efficiency while spend rises (last 28 days vs the 28 before) --------------

marginal as (
    select
        channel_windows.*,
        store_windows.store_cost,
        store_windows.severity_base,
        round((channel_windows.cost - channel_windows.previous_cost) * 100 / channel_windows.previous_cost, 4) as cost_change_pct,
        round((channel_windows.revenue - channel_windows.previous_revenue)
              / (channel_windows.cost - channel_windows.previous_cost), 4)                 as marginal_roas,
        round(channel_windows.previous_revenue / channel_windows.previous_cost, 4)         as previous_roas
    from channel_windows
    inner join store_windows
        on store_windows.store_id = channel_windows.store_id and store_windows.period = channel_windows.period
    where channel_windows.period = 'last_28_days'
      and channel_windows.channel <> 'overall'
      and channel_windows.has_previous
      and channel_windows.previous_cost > 0
      and channel_windows.cost > channel_windows.previous_cost
),

marginal_signals as (
    select
        store_id,
        'marginal_efficiency_decline'::text                                              as signal_type,
        channel,
        'all'::text                                                                      as source,
        period,
        period_start,
        period_end,
        'marginal_roas'::text                                                            as metric,
        marginal_roas                                                                    as current_value,
        previous_roas                                                                    as comparison_value,
        'previous_period'::text                                                          as comparison_kind,
        cost_change_pct                                                                  as change_pct,
        -- net money lost on the extra spend
        greatest((cost - previous_cost) - (revenue - previous_revenue), 0)               as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                jsonb_build_object('id', 'cost', 'label', 'Cost in the window', 'value', round((cost)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'previous_cost', 'label', 'Cost in the previous window', 'value', round((previous_cost)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'cost_change_pct', 'label', 'Cost change vs the previous window', 'value', round((cost_change_pct)::numeric, 2), 'unit', 'percent'),
                jsonb_build_object('id', 'incremental_cost', 'label', 'Extra cost vs the previous window', 'value', round((cost - previous_cost)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'revenue', 'label', 'Revenue in the window', 'value', round((revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'previous_revenue', 'label', 'Revenue in the previous window', 'value', round((previous_revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'incremental_revenue', 'label', 'Revenue change vs the previous window', 'value', round((revenue - previous_revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'marginal_roas', 'label', 'Extra revenue per extra unit of cost', 'value', round((marginal_roas)::numeric, 4), 'unit', 'ratio'),
                jsonb_build_object('id', 'previous_roas', 'label', 'ROAS in the previous window', 'value', round((previous_roas)::numeric, 4), 'unit', 'ratio'),
                jsonb_build_object('id', 'window_days', 'label', 'Days in each window', 'value', round((days)::numeric, 0), 'unit', 'days')
            ),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', previous_start, 'period_start_to', period_end)),
            'thresholds', jsonb_build_object(
        'insight_marginal_cost_increase_pct', (20)::numeric,
        'insight_marginal_roas_max', (1)::numeric,
        'insight_min_cost_share_pct', (5)::numeric
    )
        )                                                                                as evidence,
        previous_start,
        previous_end
    from marginal
    where cost_change_pct >= (20)::numeric
      and marginal_roas <= (1)::numeric
      and cost * 100 / nullif(store_cost, 0) >= (5)::numeric
),

-- ---- 5. an article or influencer campaign driving outsized revenue (last 28 days) ------------------

source_windows as (
    select
        windows.store_id,
        windows.period,
        windows.days,
        windows.period_start,
        windows.period_end,
        unified.channel,
        unified.source,
        sum(unified.revenue) as revenue,
        sum(unified.cost)    as cost
    from windows
    inner join unified
        on unified.store_id = windows.store_id
       and unified.day between windows.period_start and windows.period_end
    where windows.period = 'last_28_days'
      and (unified.source like 'article:%' or unified.source like 'campaign:%')
    group by 1, 2, 3, 4, 5, 6, 7
),

source_shares as (
    select
        source_windows.*,
        channel_windows.revenue                                                           as channel_revenue,
        store_windows.severity_base,
        count(*) over (partition by source_windows.store_id, source_windows.channel)     as channel_sources,
        avg(source_windows.revenue) over (partition by source_windows.store_id, source_windows.channel) as mean_source_revenue,
        round(source_windows.revenue * 100 / nullif(channel_windows.revenue, 0), 4)      as share_pct
    from source_windows
    inner join channel_windows
        on channel_windows.store_id = source_windows.store_id
       and channel_windows.period = source_windows.period
       and channel_windows.channel = source_windows.channel
    inner join store_windows
        on store_windows.store_id = source_windows.store_id and store_windows.period = source_windows.period
),

source_titles as (
    select store_id, 'article:' || item_id as source, title
    from __dbt__cte__fct_marketing_calendar
    where item_type = 'seo_article'
    union all
    select store_id, 'campaign:' || campaign_id as source, campaign_name as title
    from __dbt__cte__stg_influencer__campaigns
),

source_signals as (
    select
        source_shares.store_id,
        'outsized_source_revenue'::text                                                   as signal_type,
        source_shares.channel,
        source_shares.source,
        source_shares.period,
        source_shares.period_start,
        source_shares.period_end,
        'revenue'::text                                                                   as metric,
        source_shares.revenue                                                             as current_value,
        source_shares.channel_revenue                                                     as comparison_value,
        'channel_share'::text                                                             as comparison_kind,
        null::numeric                                                                     as change_pct,
        greatest(source_shares.revenue - source_shares.mean_source_revenue, 0)           as estimated_revenue_impact,
        source_shares.severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                jsonb_build_object('id', 'source_revenue', 'label', 'Revenue attributed to the source in the window', 'value', round((source_shares.revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'channel_revenue', 'label', 'Revenue of its channel in the window', 'value', round((source_shares.channel_revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'share_pct', 'label', 'Share of the channel revenue', 'value', round((source_shares.share_pct)::numeric, 2), 'unit', 'percent'),
                jsonb_build_object('id', 'channel_sources', 'label', 'Sources of the channel with activity in the window', 'value', round((source_shares.channel_sources)::numeric, 0), 'unit', 'count'),
                jsonb_build_object('id', 'mean_source_revenue', 'label', 'Average revenue per source of the channel', 'value', round((source_shares.mean_source_revenue)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'source_cost', 'label', 'Cost of the source in the window', 'value', round((source_shares.cost)::numeric, 2), 'unit', 'currency'),
                jsonb_build_object('id', 'window_days', 'label', 'Days in the window', 'value', round((source_shares.days)::numeric, 0), 'unit', 'days')
            ),
            'source_title', source_titles.title,
            'rows', jsonb_build_array(
                jsonb_build_object('mart', 'fct_unified_metrics', 'store_id', source_shares.store_id,
                                   'channel', source_shares.channel, 'source', source_shares.source, 'period', 'daily',
                                   'period_start_from', source_shares.period_start, 'period_start_to', source_shares.period_end),
                jsonb_build_object('mart', 'fct_unified_metrics', 'store_id', source_shares.store_id,
                                   'channel', source_shares.channel, 'source', 'all', 'period', 'daily',
                                   'period_start_from', source_shares.period_start, 'period_start_to', source_shares.period_end)),
            'thresholds', jsonb_build_object(
        'insight_source_share_pct', (40)::numeric,
        'insight_source_min_sources', (3)::numeric
    )
        )                                                                                 as evidence,
        null::date                                                                        as previous_start,
        null::date                                                                        as previous_end
    from source_shares
    left join source_titles
        on source_titles.store_id = source_shares.store_id and source_titles.source = source_shares.source
    where source_shares.revenue > 0
      and source_shares.share_pct >= (40)::numeric
      and source_shares.channel_sources >= (3)::numeric
),

-- ---- 6. sudden drop of a channel's sessions (last 7 days vs the trailing weeks) --------------------

week_blocks as (
    -- block 0 = the last 7 days, blocks 1..max = the 7-day blocks before it that lie inside the store's data
    select
        anchors.store_id,
        blocks.k,
        anchors.as_of_date - 7 * blocks.k - 6 as block_start,
        anchors.as_of_date - 7 * blocks.k     as block_end
    from anchors
    cross join generate_series(0, (8)::numeric::integer) as blocks (k)
    where anchors.as_of_date - 7 * blocks.k - 6 >= anchors.first_day
),

block_channels as (
    select distinct unified.store_id, unified.channel
    from unified
    inner join anchors on anchors.store_id = unified.store_id
    where unified.source = 'all'
      and unified.day > anchors.as_of_date - 7 * ((8)::numeric::integer + 1)
),

channel_blocks as (
    select
        week_blocks.store_id,
        block_channels.channel,
        week_blocks.k,
        week_blocks.block_start,
        week_blocks.block_end,
        coalesce(sum(unified.sessions), 0) as sessions,
        coalesce(sum(unified.revenue), 0)  as revenue
    from week_blocks
    inner join block_channels on block_channels.store_id = week_blocks.store_id
    left join unified
        on unified.store_id = week_blocks.store_id
       and unified.channel = block_channels.channel
       and unified.source = 'all'
       and unified.day between week_blocks.block_start and week_blocks.block_end
    group by 1, 2, 3, 4, 5
),

session_stats as (
    select
        store_id,
        channel,
        max(sessions) filter (where k = 0)                                       as current_sessions,
        min(block_start) filter (where k = 0)                                    as period_start,
        max(block_end) filter (where k = 0)                                      as period_end,
        min(block_start) filter (where k > 0)                                    as trailing_start,
        max(block_end) filter (where k > 0)                                      as trailing_end,
        count(*) filter (where k > 0)                                            as trailing_weeks,
        avg(sessions) filter (where k > 0)                                       as mean_sessions,
        stddev_samp(sessions) filter (where k > 0)                               as sd_sessions,
        sum(revenue) filter (where k > 0)
            / nullif(sum(sessions) filter (where k > 0), 0)                      as revenue_per_session,
        jsonb_agg(sessions order by k) filter (where k > 0)                      as weekly_sessions
    from channel_blocks
    group by store_id, channel
),

session_scores as (
    select
        session_stats.*,
        round((current_sessions - mean_sessions) / nullif(sd_sessions, 0), 4)   as z_score,
        round((current_sessions - mean_sessions) * 100 / nullif(mean_sessions, 0), 4) as change_pct,
        store_windows.severity_base
    from session_stats
    inner join store_windows
        on store_windows.store_id = session_stats.store_id and store_windows.period = 'last_7_days'
    where current_sessions is not null
),

session_signals as (
    select
        store_id,
        'sessions_drop'::text                                                            as signal_type,
        channel,
        'all'::text                                                                      as source,
        'last_7_days'::text                                                              as period,
        period_start,
        period_end,
        'sessions'::text                                                                 as metric,
        current_sessions::numeric                                                        as current_value,
        mean_sessions                                                                    as comparison_value,
        'trailing_weeks'::text                                                           as comparison_kind,
        change_pct,
        -- the missing sessions at the channel's revenue per session of the trailing weeks
        greatest((mean_sessions - current_sessions) * revenue_per_session, 0)           as estimated_revenue_impact,
        severity_base,
        jsonb_build_object(
            'figures', jsonb_build_array(
                jsonb_build_object('id', 'current_sessions', 'label', 'Sessions in the last 7 days', 'value', round((current_sessions)::numeric, 0), 'unit', 'count'),
                jsonb_build_object('id', 'mean_sessions', 'label', 'Average sessions per 7-day block of the trailing weeks', 'value', round((mean_sessions)::numeric, 2), 'unit', 'count'),
                jsonb_build_object('id', 'sd_sessions', 'label', 'Standard deviation of those weekly sessions', 'value', round((sd_sessions)::numeric, 2), 'unit', 'count'),
                jsonb_build_object('id', 'z_score', 'label', 'Standard deviations from the trailing mean', 'value', round((z_score)::numeric, 2), 'unit', 'score'),
                jsonb_build_object('id', 'change_pct', 'label', 'Change vs the trailing mean', 'value', round((change_pct)::numeric, 2), 'unit', 'percent'),
                jsonb_build_object('id', 'trailing_weeks', 'label', 'Trailing 7-day blocks compared', 'value', round((trailing_weeks)::numeric, 0), 'unit', 'count'),
                jsonb_build_object('id', 'window_days', 'label', 'Days in the window', 'value', round((7)::numeric, 0), 'unit', 'days'),
                jsonb_build_object('id', 'revenue_per_session', 'label', 'Revenue per session in the trailing weeks', 'value', round((revenue_per_session)::numeric, 2), 'unit', 'currency')
            ),
            'weekly_sessions', weekly_sessions,
            'trailing_window', jsonb_build_object('start', trailing_start, 'end', trailing_end),
            'rows', jsonb_build_array(jsonb_build_object(
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', trailing_start, 'period_start_to', period_end)),
            'thresholds', jsonb_build_object(
        'insight_sessions_drop_z', (2)::numeric,
        'insight_sessions_min_weeks', (4)::numeric,
        'insight_sessions_max_weeks', (8)::numeric,
        'insight_sessions_min_weekly', (20)::numeric
    )
        )                                                                                as evidence,
        trailing_start                                                                   as previous_start,
        trailing_end                                                                     as previous_end
    from session_scores
    where trailing_weeks >= (4)::numeric
      and mean_sessions >= (20)::numeric
      and z_score <= -(2)::numeric
),

all_signals as (
    select * from revenue_signals
    union all
    select * from benchmark_signals
    union all
    select * from budget_signals
    union all
    select * from marginal_signals
    union all
    select * from source_signals
    union all
    select * from session_signals
),

rated as (
    select
        all_signals.*,
        round(all_signals.estimated_revenue_impact * 100 / nullif(all_signals.severity_base, 0), 4) as impact_share_pct
    from all_signals
)

select
    rated.store_id::text                                                              as store_id,
    md5(concat_ws('|', rated.signal_type, rated.store_id, rated.channel, rated.source, rated.period))::text as signal_id,
    rated.signal_type::text                                                           as signal_type,
    rated.channel::text                                                               as channel,
    rated.source::text                                                                as source,
    rated.period::text                                                                as period,
    rated.period_start::date                                                          as period_start,
    rated.period_end::date                                                            as period_end,
    rated.metric::text                                                                as metric,
    round(rated.current_value, 4)::numeric(20,4)                                      as current_value,
    round(rated.comparison_value, 4)::numeric(20,4)                                   as comparison_value,
    rated.comparison_kind::text                                                       as comparison_kind,
    round(rated.change_pct, 4)::numeric(20,4)                                         as change_pct,
    round(rated.estimated_revenue_impact, 2)::numeric(18,2)                           as estimated_revenue_impact,
    (case
        when rated.impact_share_pct >= (10)::numeric then 'high'
        when rated.impact_share_pct >= (3)::numeric then 'medium'
        else 'low'
    end)::text                                                                        as severity,
    (rated.evidence || jsonb_build_object(
        'signal_type', rated.signal_type,
        'store_id', rated.store_id,
        'channel', rated.channel,
        'source', rated.source,
        'currency', stores.currency,
        'window', jsonb_build_object(
            'period', rated.period, 'start', rated.period_start, 'end', rated.period_end,
            'previous_start', rated.previous_start, 'previous_end', rated.previous_end),
        'severity_base', round(rated.severity_base, 2),
        'impact_share_pct', rated.impact_share_pct
    ))::jsonb                                                                         as evidence,
    rated.impact_share_pct::numeric(20,4)                                             as impact_share_pct,
    rated.severity_base::numeric(18,2)                                                as severity_base
from rated
left join stores on stores.store_id = rated.store_id