-- one row per (store_id, date, channel, source) incl. channel rollups (source `all`) and the store rollup (channel `overall`)

-- inputs of the reopened-days detection (macros/reopened_keys.sql), declared for the DAG:
-- depends_on: "gen40"."intermediate"."int_sessions"
-- depends_on: "gen40"."intermediate"."int_attribution__conversions"
-- depends_on: "gen40"."marts"."fct_attribution_credits"
-- depends_on: "gen40"."staging"."stg_seo__article_daily_stats"
-- depends_on: "gen40"."staging"."stg_influencer__deliveries"
-- depends_on: "gen40"."intermediate"."int_influencer__deliveries"
-- depends_on: "gen40"."staging"."stg_social__posts_daily"
-- depends_on: "gen40"."staging"."stg_ads__campaign_daily"
-- depends_on: "gen40"."staging"."stg_finance__marketing_spend"




with
unioned as (
    -- every family row
    select * from "gen40"."intermediate"."int_metrics__unioned_daily"
),

sessions as (
    -- every live session, to count distinct visitors at the rollup grains
    select store_id, session_date as date, channel, source, visitor_id
    from "gen40"."intermediate"."int_sessions"
    where not is_removed
),

atoms as (
    -- source grain: the only place values are rounded (conversions to 6 places); every rollup sums these
    select
        store_id,
        date,
        channel,
        source,
        coalesce(sum(sessions), 0)                          as sessions,
        coalesce(sum(pageviews), 0)                          as pageviews,
        coalesce(sum(session_duration_s_sum), 0)                          as session_duration_s_sum,
        coalesce(sum(bounced_sessions), 0)                          as bounced_sessions,
        coalesce(sum(unique_visitors), 0)                       as unique_visitors,
        -- null when no platform row reported it (not measured), 0 when reported as 0
        sum(impressions)                                       as impressions,
        -- null when no platform row reported it (not measured), 0 when reported as 0
        sum(clicks)                                       as clicks,
        -- null when no platform row reported it (not measured), 0 when reported as 0
        sum(engagements)                                       as engagements,
        coalesce(sum(cost), 0)                                  as cost,
        round(coalesce(sum(conversions), 0), 6)                 as conversions,
        coalesce(sum(revenue), 0)                               as revenue,
        coalesce(sum(profit), 0)                                as profit,
        max(loaded_at)                                          as loaded_at,
        max(attributed_at)                                      as attributed_at
    from unioned
    group by store_id, date, channel, source
),

rolled as (
    -- source rows, channel rollups and the store rollup in one pass
    select
        store_id,
        date,
        case when grouping(channel) = 1 then 'overall' else channel end as channel,
        case when grouping(source) = 1 then 'all' else source end       as source,
        grouping(channel) = 1                                           as is_store_rollup,
        grouping(source) = 1                                            as is_rollup,
        sum(sessions)                                               as sessions,
        sum(pageviews)                                               as pageviews,
        sum(session_duration_s_sum)                                               as session_duration_s_sum,
        sum(bounced_sessions)                                               as bounced_sessions,
        sum(impressions)                                               as impressions,
        sum(clicks)                                               as clicks,
        sum(engagements)                                               as engagements,
        sum(cost)                                               as cost,
        sum(conversions)                                               as conversions,
        sum(revenue)                                               as revenue,
        sum(profit)                                               as profit,
        coalesce(sum(conversions) filter (where channel = 'unattributed'), 0) as unattributed_conversions,
        coalesce(sum(revenue) filter (where channel = 'unattributed'), 0) as unattributed_revenue,
        coalesce(sum(profit) filter (where channel = 'unattributed'), 0) as unattributed_profit,
        -- source rows carry their own distinct count; rollups get theirs from `visitors`
        sum(unique_visitors)                                            as source_unique_visitors,
        max(loaded_at)                                                  as loaded_at,
        max(attributed_at)                                              as attributed_at
    from atoms
    group by grouping sets ((store_id, date, channel, source), (store_id, date, channel), (store_id, date))
),

visitors as (
    -- distinct visitors of a channel and of the whole store per day (not the sum of the source counts)
    select
        store_id,
        date,
        case when grouping(channel) = 1 then 'overall' else channel end as channel,
        count(distinct visitor_id)                                      as unique_visitors
    from sessions
    group by grouping sets ((store_id, date, channel), (store_id, date))
)

select
    rolled.store_id::text                                               as store_id,
    rolled.date::date                                                   as date,
    rolled.channel::text                                                as channel,
    rolled.source::text                                                 as source,
    rolled.sessions::bigint                                             as sessions,
    rolled.pageviews::bigint                                            as pageviews,
    (case when rolled.is_rollup then coalesce(visitors.unique_visitors, 0)
          else rolled.source_unique_visitors end)::bigint               as unique_visitors,
    rolled.session_duration_s_sum::bigint                               as session_duration_s_sum,
    rolled.bounced_sessions::bigint                                     as bounced_sessions,
    rolled.impressions::bigint                                          as impressions,
    rolled.clicks::bigint                                               as clicks,
    rolled.engagements::bigint                                          as engagements,
    rolled.cost::numeric(18,2)                                          as cost,
    rolled.conversions::numeric(18,6)                                   as conversions,
    rolled.revenue::numeric(18,2)                                       as revenue,
    rolled.profit::numeric(18,2)                                        as profit,
    -- non-zero only on `overall`: conversions of orders with no touch (channel `unattributed`)
    (case when rolled.is_store_rollup then rolled.unattributed_conversions else 0 end)::numeric(18,6) as unattributed_conversions,
    (case when rolled.is_store_rollup then rolled.unattributed_revenue else 0 end)::numeric(18,2)     as unattributed_revenue,
    (case when rolled.is_store_rollup then rolled.unattributed_profit else 0 end)::numeric(18,2)      as unattributed_profit,
    rolled.loaded_at::timestamptz                                       as loaded_at,
    rolled.attributed_at::timestamptz                                   as attributed_at,
    -- start of the run that (re)built the row: fct_unified_metrics rebuilds the periods of newer days
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                                   as built_at
from rolled
left join visitors
    on visitors.store_id = rolled.store_id
   and visitors.date = rolled.date
   and visitors.channel = rolled.channel
   and rolled.is_rollup
-- `unattributed` is not a channel of this mart: its values live only in the `overall` row
where rolled.is_store_rollup or rolled.channel <> 'unattributed'