-- Nothing is lost between staging and the attribution mart: the same converting orders (of known
-- stores, by the order rules of macros/orders.sql), both ways. Incremental runs check the orders
-- the run staged or attributed (full checks read both tables once, unfiltered).
with
{%- if not full_checks() %}
checked as (
    -- the orders this check looks at: all, or those the last run staged or attributed
    select orders.order_id from {{ ref('stg_shop__orders') }} as orders
    where true {{ latest_batch_only('orders.staged_at', ref('stg_shop__orders')) }}
    union
    select attributed.order_id from {{ ref('fct_order_attribution') }} as attributed
    where true {{ latest_batch_only('attributed.processed_at', ref('fct_order_attribution')) }}
),
{%- endif %}

converting as (
    select orders.order_id
    from {{ ref('stg_shop__orders') }} as orders
    inner join {{ ref('stg_shop__stores') }} as stores on stores.store_id = orders.store_id
    where {{ order_is_conversion('orders') }}
    {%- if not full_checks() %}
      and orders.order_id in (select checked.order_id from checked)
    {%- endif %}
),

attributed as (
    select order_id from {{ ref('fct_order_attribution') }}
    {%- if not full_checks() %}
    where order_id in (select checked.order_id from checked)
    {%- endif %}
)

(select order_id, 'missing from fct_order_attribution' as problem from converting
 except
 select order_id, 'missing from fct_order_attribution' from attributed)
union all
(select order_id, 'not a converting order' from attributed
 except
 select order_id, 'not a converting order' from converting)
