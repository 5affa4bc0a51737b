-- ads platform family: impressions, clicks and spend per ad campaign and local day
-- (platform conversions are never used)
{{ config(materialized='view') }}

select
    store_id::{{ text_type() }}                                          as store_id,
    stat_date::date                                         as date,
    'ads'::{{ text_type() }}                                             as channel,
    ('ad_campaign:' || platform || ':' || campaign_id)::{{ text_type() }} as source,
    null::bigint                                            as sessions,
    null::bigint                                            as pageviews,
    null::bigint                                            as unique_visitors,
    null::bigint                                            as session_duration_s_sum,
    null::bigint                                            as bounced_sessions,
    sum(impressions)::bigint                                as impressions,
    sum(clicks)::bigint                                     as clicks,
    -- ads platforms report no engagement measure
    null::bigint                                            as engagements,
    sum(spend)::numeric(18,2)                               as cost,
    null::numeric(24,12)                                    as conversions,
    null::numeric(18,2)                                     as revenue,
    null::numeric(18,2)                                     as profit,
    max(loaded_at)::{{ tstz_type() }}                             as loaded_at,
    null::{{ tstz_type() }}                                       as attributed_at
from {{ ref('stg_ads__campaign_daily') }}
group by store_id, stat_date, platform, campaign_id
