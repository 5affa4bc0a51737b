{{ config(
    unique_key=['channel_id'],
    indexes=[{'columns': ['channel_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('marketing_channels') }}",
) }}
-- one row per upstream MarketingChannel: the budget owner of a channel type in a store
select
    channel_id::text                      as channel_id,
    store_id::text                        as store_id,
    lower(trim(type))::text               as channel,
    name::text                            as channel_name,
    monthly_budget::numeric(14,2)         as monthly_budget,
    lower(trim(status))::text             as status,
    created_at::timestamptz               as created_at,
    _loaded_at::timestamptz               as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('marketing_channels') }}
) as versions
where {{ staging_filter() }}
