{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['channel_id'],
    indexes=[{'columns': ['channel_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('marketing_channels') }}",
) }}
-- one row per upstream MarketingChannel: the budget owner of a channel type in a store
select
    channel_id::{{ text_type() }}                      as channel_id,
    store_id::{{ text_type() }}                        as store_id,
    lower(trim(type))::{{ text_type() }}               as channel,
    name::{{ text_type() }}                            as channel_name,
    monthly_budget::numeric(14,2)         as monthly_budget,
    lower(trim(status))::{{ text_type() }}             as status,
    created_at::{{ tstz_type() }}               as created_at,
    _loaded_at::{{ tstz_type() }}               as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('marketing_channels') }}
) as versions
where {{ staging_filter() }}
