
  create view "gen40"."intermediate"."int_metrics__web_traffic_daily__dbt_tmp"
    
    
      
  as (
    -- traffic family: web sessions per store-local day, channel and source (marts.md: traffic comes from web_sessions)


select
        sessions.store_id::text                                 as store_id,
        sessions.session_date::date                             as date,
        sessions.channel::text                                  as channel,
        sessions.source::text                                   as source,
        count(*)::bigint                                        as sessions,
        sum(sessions.pageviews)::bigint                         as pageviews,
        -- distinct at this (day, channel, source) grain only: not additive
        count(distinct sessions.visitor_id)::bigint             as unique_visitors,
        sum(sessions.duration_s)::bigint                        as session_duration_s_sum,
        count(*) filter (where sessions.bounced)::bigint        as bounced_sessions,
        null::bigint                                            as impressions,
        null::bigint                                            as clicks,
        null::bigint                                            as engagements,
        null::numeric(18,2)                                     as cost,
        null::numeric(24,12)                                    as conversions,
        null::numeric(18,2)                                     as revenue,
        null::numeric(18,2)                                     as profit,
        max(sessions.loaded_at)::timestamptz                    as loaded_at,
        null::timestamptz                                       as attributed_at
    from "gen40"."intermediate"."int_sessions" as sessions
    where not sessions.is_removed
    group by sessions.store_id, sessions.session_date, sessions.channel, sessions.source
  );