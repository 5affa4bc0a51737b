-- social platform family: post impressions, engagements, clicks and boost spend per post and local day
{{ config(materialized='view') }}

select
    store_id::{{ text_type() }}                                          as store_id,
    stat_date::date                                         as date,
    'social'::{{ text_type() }}                                          as channel,
    ('post:' || post_id)::{{ text_type() }}                              as source,
    null::bigint                                            as sessions,
    null::bigint                                            as pageviews,
    null::bigint                                            as unique_visitors,
    null::bigint                                            as session_duration_s_sum,
    null::bigint                                            as bounced_sessions,
    sum(impressions)::bigint                                as impressions,
    sum(clicks)::bigint                                     as clicks,
    sum(engagements)::bigint                                as engagements,
    -- boost spend is the platform part of social cost (the rest is in the ledger)
    sum(spend)::numeric(18,2)                               as cost,
    null::numeric(24,12)                                    as conversions,
    null::numeric(18,2)                                     as revenue,
    null::numeric(18,2)                                     as profit,
    max(loaded_at)::{{ tstz_type() }}                             as loaded_at,
    null::{{ tstz_type() }}                                       as attributed_at
from {{ ref('stg_social__posts_daily') }}
group by store_id, stat_date, post_id
