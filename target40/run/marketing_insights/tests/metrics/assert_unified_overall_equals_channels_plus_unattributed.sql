
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- fct_unified_metrics: the store rollup (`overall`) equals the sum of the channel rollups for every additive
-- column, plus, for conversions/revenue/profit, the unattributed orders it alone carries (DECISIONLOG).
-- Incremental runs check the periods the run rewrote.

with channels as (
    select
        store_id, period, period_start,
        
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
    from "gen40"."marts"."fct_unified_metrics" as unified
    where source = 'all' and channel <> 'overall' 
    group by store_id, period, period_start
),

overall as (
    select * from "gen40"."marts"."fct_unified_metrics" as unified
    where channel = 'overall' 
)

select
    overall.store_id, overall.period, overall.period_start
from overall
left join channels
    on channels.store_id = overall.store_id
   and channels.period = overall.period
   and channels.period_start = overall.period_start
where
   -- a day with only unattributed orders has an overall row and no channel row
   overall.sessions <> coalesce(channels.sessions, 0)
   or
   -- a day with only unattributed orders has an overall row and no channel row
   overall.pageviews <> coalesce(channels.pageviews, 0)
   or
   -- a day with only unattributed orders has an overall row and no channel row
   overall.session_duration_s_sum <> coalesce(channels.session_duration_s_sum, 0)
   or
   -- a day with only unattributed orders has an overall row and no channel row
   overall.bounced_sessions <> coalesce(channels.bounced_sessions, 0)
   or
   overall.impressions is distinct from channels.impressions
   or
   overall.clicks is distinct from channels.clicks
   or
   overall.engagements is distinct from channels.engagements
   or
   -- a day with only unattributed orders has an overall row and no channel row
   overall.cost <> coalesce(channels.cost, 0)
   or
   overall.conversions <> coalesce(channels.conversions, 0) + overall.unattributed_conversions
   or
   overall.revenue <> coalesce(channels.revenue, 0) + overall.unattributed_revenue
   or
   overall.profit <> coalesce(channels.profit, 0) + overall.unattributed_profit
   or
   overall.unique_visitors < coalesce(channels.max_unique_visitors, 0)
   or overall.unique_visitors > coalesce(channels.sum_unique_visitors, 0)
   -- a store-period with channel rows always has its overall row
union all
select channels.store_id, channels.period, channels.period_start
from channels
left join overall
    on overall.store_id = channels.store_id
   and overall.period = channels.period
   and overall.period_start = channels.period_start
where overall.store_id is null
  
  
      
    ) dbt_internal_test