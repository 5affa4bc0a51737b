-- one row per ads platform campaign and local date; platform conversions are kept only for reference
select
    store_id::text                              as store_id,
    lower(trim(platform))::text                 as platform,
    campaign_id::text                           as campaign_id,
    campaign_name::text                         as campaign_name,
    date::date                                  as stat_date,
    coalesce(impressions, 0)::bigint            as impressions,
    coalesce(clicks, 0)::bigint                 as clicks,
    coalesce(spend, 0)::numeric(14,2)           as spend,
    platform_conversions::numeric(12,2)         as platform_conversions,
    _loaded_at::timestamptz                     as loaded_at
from {{ ref('base_ads__campaign_daily') }}
where _dq_reason is null
