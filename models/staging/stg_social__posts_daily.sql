-- one row per social post and local date (organic and boosted)
select
    store_id::text                      as store_id,
    post_id::text                       as post_id,
    lower(trim(platform))::text         as platform,
    date::date                          as stat_date,
    coalesce(impressions, 0)::bigint    as impressions,
    coalesce(engagements, 0)::bigint    as engagements,
    coalesce(clicks, 0)::bigint         as clicks,
    coalesce(spend, 0)::numeric(14,2)   as spend,
    _loaded_at::timestamptz             as loaded_at
from {{ ref('base_social__posts_daily') }}
where _dq_reason is null
