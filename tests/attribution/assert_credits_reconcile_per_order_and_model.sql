-- Per (order, model): credit fractions sum to 1 and credited revenue/profit to the order's,
-- to the cent. Every converting order has credits under all five models. Incremental runs check
-- the orders the run (re)attributed. Returns the failing orders with the models that fail.
-- Sums are taken in integer units (fractions at 12 places, money in cents) held in float8: exact
-- while a sum stays below 2^53 (an order would need 9,000 touches to reach it), and a float8 sum
-- has no per-group state to allocate, so one pass groups the credits by order in memory where a
-- numeric sum per (order, model) spilled to disk (25 s -> 10 s at 1 M orders).
{%- set models = attribution_rule_models() %}

with checked_orders as (
    -- the orders to check: all, or those the last run (re)attributed
    select orders.order_id, orders.revenue, orders.profit
    from {{ ref('fct_order_attribution') }} as orders
    where true {{ latest_batch_only('orders.processed_at', ref('fct_order_attribution')) }}
),

per_order as (
    -- each model's sums, one row per order
    select
        credits.order_id,
        {%- for model in models %}
        sum((credits.credit_fraction * 1000000000000)::bigint::float8)
            filter (where credits.model = '{{ model }}') as {{ model }}_fraction_units,
        sum((credits.credited_revenue * 100)::bigint::float8)
            filter (where credits.model = '{{ model }}') as {{ model }}_revenue_cents,
        sum((credits.credited_profit * 100)::bigint::float8)
            filter (where credits.model = '{{ model }}') as {{ model }}_profit_cents{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('fct_attribution_credits') }} as credits
    {%- if not full_checks() %}
    where credits.order_id in (select checked_orders.order_id from checked_orders)
    {%- endif %}
    group by credits.order_id
),

judged as (
    -- the models whose sums miss (a model without credits has null sums and misses)
    select
        checked_orders.order_id, checked_orders.revenue, checked_orders.profit,
        array_remove(array[
            {%- for model in models %}
            case when per_order.{{ model }}_fraction_units is distinct from 1000000000000
                   or per_order.{{ model }}_revenue_cents is distinct from (checked_orders.revenue * 100)::bigint
                   or per_order.{{ model }}_profit_cents is distinct from (checked_orders.profit * 100)::bigint
                 then '{{ model }}' end{{ ',' if not loop.last }}
            {%- endfor %}
        ], null) as failing_models
    from checked_orders
    left join per_order on per_order.order_id = checked_orders.order_id
)

select order_id, revenue, profit, failing_models
from judged
where cardinality(failing_models) > 0
