{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['platform', 'campaign_id', 'stat_date'],
    indexes=[{'columns': ['platform', 'campaign_id', 'stat_date'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('ad_campaign_daily') }}",
) }}
-- one row per ads platform campaign and local date; platform conversions are kept only for reference
select
    store_id::{{ text_type() }}                              as store_id,
    lower(trim(platform))::{{ text_type() }}                 as platform,
    campaign_id::{{ text_type() }}                           as campaign_id,
    campaign_name::{{ text_type() }}                         as campaign_name,
    date::date                                  as stat_date,
    coalesce(impressions, 0)::bigint            as impressions,
    coalesce(clicks, 0)::bigint                 as clicks,
    coalesce(spend, 0)::numeric(14,2)           as spend,
    platform_conversions::numeric(12,2)         as platform_conversions,
    _loaded_at::{{ tstz_type() }}                     as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('ad_campaign_daily') }}
) as versions
where {{ staging_filter() }}
