-- fct_unified_metrics: every channel rollup (source `all`) equals the sum of its source rows for every
-- additive column, and a rollup exists exactly when source rows exist. Returns the mismatching rows.
-- Incremental runs check the periods the run rewrote.
with sources as (
    select
        store_id, channel, period, period_start,
        
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
    where source <> 'all' 
    group by store_id, channel, period, period_start
),

rollups as (
    select * from "gen40"."marts"."fct_unified_metrics" as unified
    where source = 'all' and channel <> 'overall' 
)

select
    coalesce(rollups.store_id, sources.store_id) as store_id,
    coalesce(rollups.channel, sources.channel) as channel,
    coalesce(rollups.period, sources.period) as period,
    coalesce(rollups.period_start, sources.period_start) as period_start
from rollups
full outer join sources
    on sources.store_id = rollups.store_id
   and sources.channel = rollups.channel
   and sources.period = rollups.period
   and sources.period_start = rollups.period_start
where rollups.store_id is null
   or sources.store_id is null
   or rollups.sessions is distinct from sources.sessions
   or rollups.pageviews is distinct from sources.pageviews
   or rollups.session_duration_s_sum is distinct from sources.session_duration_s_sum
   or rollups.bounced_sessions is distinct from sources.bounced_sessions
   or rollups.impressions is distinct from sources.impressions
   or rollups.clicks is distinct from sources.clicks
   or rollups.engagements is distinct from sources.engagements
   or rollups.cost is distinct from sources.cost
   or rollups.conversions is distinct from sources.conversions
   or rollups.revenue is distinct from sources.revenue
   or rollups.profit is distinct from sources.profit
   or rollups.unattributed_conversions is distinct from sources.unattributed_conversions
   or rollups.unattributed_revenue is distinct from sources.unattributed_revenue
   or rollups.unattributed_profit is distinct from sources.unattributed_profit
   or rollups.unique_visitors < sources.max_unique_visitors
   or rollups.unique_visitors > sources.sum_unique_visitors