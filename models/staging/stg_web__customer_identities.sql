{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['store_id', 'visitor_id'],
    indexes=[{'columns': ['store_id', 'visitor_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('customer_identities') }}",
) }}
-- one row per (store, visitor): the customer a browser was linked to
select
    store_id::{{ text_type() }}                  as store_id,
    visitor_id::{{ text_type() }}                as visitor_id,
    customer_id::{{ text_type() }}               as customer_id,
    linked_at::{{ tstz_type() }}          as linked_at,
    _loaded_at::{{ tstz_type() }}         as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('customer_identities') }}
) as versions
where {{ staging_filter() }}
