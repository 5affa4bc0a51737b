-- traffic family: web sessions per store-local day, channel and source (marts.md: traffic comes from web_sessions)
{{ config(materialized='view') }}

select
    store_id::text                                          as store_id,
    session_date::date                                      as date,
    channel::text                                           as channel,
    source::text                                            as source,
    count(*)::bigint                                        as sessions,
    sum(pageviews)::bigint                                  as pageviews,
    -- distinct at this (day, channel, source) grain only: not additive
    count(distinct visitor_id)::bigint                      as unique_visitors,
    sum(duration_s)::bigint                                 as session_duration_s_sum,
    count(*) filter (where bounced)::bigint                 as bounced_sessions,
    null::bigint                                            as impressions,
    null::bigint                                            as clicks,
    null::bigint                                            as engagements,
    null::numeric(18,2)                                     as cost,
    null::numeric(24,12)                                    as conversions,
    null::numeric(18,2)                                     as revenue,
    null::numeric(18,2)                                     as profit,
    max(loaded_at)::timestamptz                             as loaded_at,
    null::timestamptz                                       as attributed_at
from {{ ref('stg_web__sessions') }}
group by store_id, session_date, channel, source
