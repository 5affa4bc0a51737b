-- Conversions and their value in fct_conversion_paths equal the converting orders, per store and month.
-- Incremental runs check the months of the orders the run (re)attributed. The checkpoint's check
-- `fct_conversion_paths.conversions_equal_converting_orders` (tests/attribution/schema.yml).
with orders as (
    select store_id, date_trunc('month', converted_date)::date as month_start,
           count(*) as conversions, sum(revenue) as value
    from {{ ref('fct_order_attribution') }}
    group by 1, 2
),

checked_orders as (
    select orders.* from orders where true {{ checked_months_only('orders') }}
),

paths as (
    select store_id, month_start, sum(conversions) as conversions, sum(conversion_value) as value
    from {{ ref('fct_conversion_paths') }} as paths
    where true {{ checked_months_only('paths') }}
    group by 1, 2
    having sum(conversions) > 0
)

select coalesce(paths.store_id, checked_orders.store_id) as store_id,
       coalesce(paths.month_start, checked_orders.month_start) as month_start,
       paths.conversions as path_conversions, checked_orders.conversions as converting_orders,
       paths.value as path_value, checked_orders.value as order_revenue
from paths
full outer join checked_orders
    on checked_orders.store_id = paths.store_id and checked_orders.month_start = paths.month_start
where paths.conversions is distinct from checked_orders.conversions
   or paths.value is distinct from checked_orders.value
