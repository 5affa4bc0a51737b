
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- fct_unified_metrics: every weekly and monthly row equals the sum of its daily rows (same store, channel,
-- source) for every additive column; distinct visitors lie between the busiest day and the sum of the days.
-- Incremental runs check the weeks and months the run rewrote.

select
    'weekly' as period, coalesce(rolled.store_id, days.store_id) as store_id,
    coalesce(rolled.channel, days.channel) as channel, coalesce(rolled.source, days.source) as source,
    coalesce(rolled.period_start, days.period_start) as period_start
from (
    select * from "gen40"."marts"."fct_unified_metrics" as unified
    where period = 'weekly' 
) as rolled
full outer join (
    select days_all.*
    from (
        select
            store_id, channel, source, (date_trunc('week', (period_start)::timestamp)::date) as period_start,
            
        sum(sessions) as sessions,
        sum(pageviews) as pageviews,
        sum(session_duration_s_sum) as session_duration_s_sum,
        sum(bounced_sessions) as bounced_sessions,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(engagements) as engagements,
        sum(cost) as cost,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(profit) as profit,
        sum(unattributed_conversions) as unattributed_conversions,
        sum(unattributed_revenue) as unattributed_revenue,
        sum(unattributed_profit) as unattributed_profit,
        max(unique_visitors) as max_unique_visitors,
        sum(unique_visitors) as sum_unique_visitors
        from "gen40"."marts"."fct_unified_metrics"
        where period = 'daily'
        group by store_id, channel, source, (date_trunc('week', (period_start)::timestamp)::date)
    ) as days_all
    where true 
) as days
    on days.store_id = rolled.store_id
   and days.channel = rolled.channel
   and days.source = rolled.source
   and days.period_start = rolled.period_start
where rolled.store_id is null
   or days.store_id is null
   or rolled.sessions is distinct from days.sessions
   or rolled.pageviews is distinct from days.pageviews
   or rolled.session_duration_s_sum is distinct from days.session_duration_s_sum
   or rolled.bounced_sessions is distinct from days.bounced_sessions
   or rolled.impressions is distinct from days.impressions
   or rolled.clicks is distinct from days.clicks
   or rolled.engagements is distinct from days.engagements
   or rolled.cost is distinct from days.cost
   or rolled.conversions is distinct from days.conversions
   or rolled.revenue is distinct from days.revenue
   or rolled.profit is distinct from days.profit
   or rolled.unattributed_conversions is distinct from days.unattributed_conversions
   or rolled.unattributed_revenue is distinct from days.unattributed_revenue
   or rolled.unattributed_profit is distinct from days.unattributed_profit
   or rolled.unique_visitors < days.max_unique_visitors
   or rolled.unique_visitors > days.sum_unique_visitors
union all
select
    'monthly' as period, coalesce(rolled.store_id, days.store_id) as store_id,
    coalesce(rolled.channel, days.channel) as channel, coalesce(rolled.source, days.source) as source,
    coalesce(rolled.period_start, days.period_start) as period_start
from (
    select * from "gen40"."marts"."fct_unified_metrics" as unified
    where period = 'monthly' 
) as rolled
full outer join (
    select days_all.*
    from (
        select
            store_id, channel, source, (date_trunc('month', (period_start)::timestamp)::date) as period_start,
            
        sum(sessions) as sessions,
        sum(pageviews) as pageviews,
        sum(session_duration_s_sum) as session_duration_s_sum,
        sum(bounced_sessions) as bounced_sessions,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(engagements) as engagements,
        sum(cost) as cost,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(profit) as profit,
        sum(unattributed_conversions) as unattributed_conversions,
        sum(unattributed_revenue) as unattributed_revenue,
        sum(unattributed_profit) as unattributed_profit,
        max(unique_visitors) as max_unique_visitors,
        sum(unique_visitors) as sum_unique_visitors
        from "gen40"."marts"."fct_unified_metrics"
        where period = 'daily'
        group by store_id, channel, source, (date_trunc('month', (period_start)::timestamp)::date)
    ) as days_all
    where true 
) as days
    on days.store_id = rolled.store_id
   and days.channel = rolled.channel
   and days.source = rolled.source
   and days.period_start = rolled.period_start
where rolled.store_id is null
   or days.store_id is null
   or rolled.sessions is distinct from days.sessions
   or rolled.pageviews is distinct from days.pageviews
   or rolled.session_duration_s_sum is distinct from days.session_duration_s_sum
   or rolled.bounced_sessions is distinct from days.bounced_sessions
   or rolled.impressions is distinct from days.impressions
   or rolled.clicks is distinct from days.clicks
   or rolled.engagements is distinct from days.engagements
   or rolled.cost is distinct from days.cost
   or rolled.conversions is distinct from days.conversions
   or rolled.revenue is distinct from days.revenue
   or rolled.profit is distinct from days.profit
   or rolled.unattributed_conversions is distinct from days.unattributed_conversions
   or rolled.unattributed_revenue is distinct from days.unattributed_revenue
   or rolled.unattributed_profit is distinct from days.unattributed_profit
   or rolled.unique_visitors < days.max_unique_visitors
   or rolled.unique_visitors > days.sum_unique_visitors
  
  
      
    ) dbt_internal_test