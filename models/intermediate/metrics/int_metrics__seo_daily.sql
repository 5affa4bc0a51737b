-- seo platform family: search impressions and organic clicks per article and local day (search console)
{{ config(materialized='view') }}

select
    store_id::{{ text_type() }}                                          as store_id,
    stat_date::date                                         as date,
    'seo'::{{ text_type() }}                                             as channel,
    ('article:' || article_id)::{{ text_type() }}                        as source,
    null::bigint                                            as sessions,
    null::bigint                                            as pageviews,
    null::bigint                                            as unique_visitors,
    null::bigint                                            as session_duration_s_sum,
    null::bigint                                            as bounced_sessions,
    sum(impressions)::bigint                                as impressions,
    sum(organic_clicks)::bigint                             as clicks,
    -- search console has no engagement measure
    null::bigint                                            as engagements,
    null::numeric(18,2)                                     as cost,
    null::numeric(24,12)                                    as conversions,
    null::numeric(18,2)                                     as revenue,
    null::numeric(18,2)                                     as profit,
    max(loaded_at)::{{ tstz_type() }}                             as loaded_at,
    null::{{ tstz_type() }}                                       as attributed_at
from {{ ref('stg_seo__article_daily_stats') }}
group by store_id, stat_date, article_id
