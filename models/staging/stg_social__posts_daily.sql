{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['post_id', 'stat_date'],
    indexes=[{'columns': ['post_id', 'stat_date'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('social_posts_daily') }}",
) }}
-- one row per social post and local date (organic and boosted)
select
    store_id::{{ text_type() }}                      as store_id,
    post_id::{{ text_type() }}                       as post_id,
    lower(trim(platform))::{{ text_type() }}         as platform,
    date::date                          as stat_date,
    coalesce(impressions, 0)::bigint    as impressions,
    coalesce(engagements, 0)::bigint    as engagements,
    coalesce(clicks, 0)::bigint         as clicks,
    coalesce(spend, 0)::numeric(14,2)   as spend,
    _loaded_at::{{ tstz_type() }}             as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('social_posts_daily') }}
) as versions
where {{ staging_filter() }}
