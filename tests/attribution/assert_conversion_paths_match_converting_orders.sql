-- Conversions and their value in fct_conversion_paths equal the converting orders, per store and month.
with paths as (
    select store_id, month_start, sum(conversions) as conversions, sum(conversion_value) as value
    from {{ ref('fct_conversion_paths') }}
    group by 1, 2
    having sum(conversions) > 0
),

orders as (
    select store_id, date_trunc('month', converted_date)::date as month_start,
           count(*) as conversions, sum(revenue) as value
    from {{ ref('fct_order_attribution') }}
    group by 1, 2
)

select coalesce(paths.store_id, orders.store_id) as store_id,
       coalesce(paths.month_start, orders.month_start) as month_start,
       paths.conversions as path_conversions, orders.conversions as order_conversions,
       paths.value as path_value, orders.value as order_value
from paths
full outer join orders on orders.store_id = paths.store_id and orders.month_start = paths.month_start
where paths.conversions is distinct from orders.conversions
   or paths.value is distinct from orders.value
