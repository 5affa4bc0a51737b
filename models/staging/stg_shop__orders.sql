-- one row per order, with marketing revenue/profit and the store-local order date
with orders as (
    -- clean, latest delivery of each order
    select * from {{ ref('base_shop__orders') }} where _dq_reason is null
),

stores as (
    -- timezone to bucket the conversion time into the store's calendar
    select store_id, timezone from {{ ref('stg_shop__stores') }}
)

select
    orders.order_id::text                                        as order_id,
    orders.store_id::text                                        as store_id,
    nullif(trim(orders.customer_id), '')::text                   as customer_id,
    nullif(trim(orders.visitor_id), '')::text                    as visitor_id,
    orders.created_at::timestamptz                               as created_at,
    (orders.created_at at time zone stores.timezone)::date       as order_date,
    lower(trim(orders.status))::text                             as status,
    lower(trim(orders.status)) not in ('cancelled', 'pending')   as is_conversion,
    coalesce(orders.subtotal, 0)::numeric(14,2)                  as subtotal,
    coalesce(orders.discount, 0)::numeric(14,2)                  as discount,
    coalesce(orders.shipping, 0)::numeric(14,2)                  as shipping,
    coalesce(orders.tax, 0)::numeric(14,2)                       as tax,
    coalesce(orders.total, 0)::numeric(14,2)                     as total,
    coalesce(orders.refunded_amount, 0)::numeric(14,2)           as refunded_amount,
    orders.cogs::numeric(14,2)                                   as cogs,
    nullif(trim(orders.promo_code), '')::text                    as promo_code,
    -- contract: revenue = subtotal - discount - refunded_amount; profit = revenue - cogs
    (coalesce(orders.subtotal, 0) - coalesce(orders.discount, 0)
        - coalesce(orders.refunded_amount, 0))::numeric(14,2)    as revenue,
    (coalesce(orders.subtotal, 0) - coalesce(orders.discount, 0)
        - coalesce(orders.refunded_amount, 0) - coalesce(orders.cogs, 0))::numeric(14,2) as profit,
    orders._loaded_at::timestamptz                               as loaded_at
from orders
inner join stores on stores.store_id = orders.store_id
