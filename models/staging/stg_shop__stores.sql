{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['store_id'],
    indexes=[{'columns': ['store_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('stores') }}",
) }}
-- one row per store; industry without a known value is `general` (benchmark fallback)
select
    store_id::{{ text_type() }}                                   as store_id,
    name::{{ text_type() }}                                       as store_name,
    coalesce(nullif(lower(trim(industry)), ''), 'general')::{{ text_type() }} as industry,
    upper(trim(currency))::{{ text_type() }}                      as currency,
    trim(timezone)::{{ text_type() }}                             as timezone,
    lower(trim(status))::{{ text_type() }}                        as status,
    created_at::{{ tstz_type() }}                          as created_at,
    _loaded_at::{{ tstz_type() }}                          as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('stores') }}
) as versions
where {{ staging_filter() }}
