{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['order_id'],
    indexes=[{'columns': ['order_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('orders') }}",
) }}
-- one row per order as the shop last delivered it (revenue, profit and the local date are
-- business rules of intermediate: int_attribution__conversions)
select
    order_id::{{ text_type() }}                                  as order_id,
    store_id::{{ text_type() }}                                  as store_id,
    nullif(trim(customer_id), '')::{{ text_type() }}             as customer_id,
    nullif(trim(visitor_id), '')::{{ text_type() }}              as visitor_id,
    created_at::{{ tstz_type() }}                         as created_at,
    lower(trim(status))::{{ text_type() }}                       as status,
    coalesce(subtotal, 0)::numeric(14,2)            as subtotal,
    coalesce(discount, 0)::numeric(14,2)            as discount,
    coalesce(shipping, 0)::numeric(14,2)            as shipping,
    coalesce(tax, 0)::numeric(14,2)                 as tax,
    coalesce(total, 0)::numeric(14,2)               as total,
    coalesce(refunded_amount, 0)::numeric(14,2)     as refunded_amount,
    cogs::numeric(14,2)                             as cogs,
    nullif(trim(promo_code), '')::{{ text_type() }}              as promo_code,
    _loaded_at::{{ tstz_type() }}                         as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('orders') }}
) as versions
where {{ staging_filter() }}
