{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['spend_id'],
    indexes=[{'columns': ['spend_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('marketing_spend') }}",
) }}
-- one row per ledger entry; negative amounts are refunds/credits and stay
select
    spend_id::{{ text_type() }}                          as spend_id,
    store_id::{{ text_type() }}                          as store_id,
    lower(trim(channel))::{{ text_type() }}              as channel,
    lower(trim(source_type))::{{ text_type() }}          as source_type,
    nullif(trim(source_id), '')::{{ text_type() }}       as source_id,
    spend_date::date                        as spend_date,
    coalesce(amount, 0)::numeric(14,2)      as amount,
    description::{{ text_type() }}                       as description,
    _loaded_at::{{ tstz_type() }}                 as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('marketing_spend') }}
) as versions
where {{ staging_filter() }}
