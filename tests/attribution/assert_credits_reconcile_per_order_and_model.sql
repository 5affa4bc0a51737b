-- Per (order, model): credit fractions sum to 1 and credited revenue/profit to the order's,
-- to the cent. Every converting order has credits under all five models, and only converting orders
-- have credits. Incremental runs check the orders the run (re)attributed. Returns one row per failing
-- (order, model) with the order's amounts and the credited sums (the checkpoint's offenders: this
-- test is its check `fct_attribution_credits.credits_sum_to_order_revenue`, tests/attribution/schema.yml).
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
        sum((credits.credit_fraction * 1000000000000)::bigint::{{ float8_type() }})
            filter (where credits.model = '{{ model }}') as {{ model }}_fraction_units,
        sum((credits.credited_revenue * 100)::bigint::{{ float8_type() }})
            filter (where credits.model = '{{ model }}') as {{ model }}_revenue_cents,
        sum((credits.credited_profit * 100)::bigint::{{ float8_type() }})
            filter (where credits.model = '{{ model }}') as {{ model }}_profit_cents{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('fct_attribution_credits') }} as credits
    {%- if not full_checks() %}
    where credits.order_id in (select checked_orders.order_id from checked_orders)
    {%- endif %}
    group by credits.order_id
),

judged as (
    -- the models whose sums miss (a model without credits has null sums and misses; credits of an
    -- order that is not a converting order miss under every model they credit)
    select
        coalesce(checked_orders.order_id, per_order.order_id) as order_id,
        checked_orders.revenue, checked_orders.profit,
        {%- set failing_cases -%}
            {%- for model in models %}
            case when checked_orders.order_id is null and per_order.{{ model }}_fraction_units is not null
                   or checked_orders.order_id is not null and (
                      per_order.{{ model }}_fraction_units is distinct from 1000000000000
                   or per_order.{{ model }}_revenue_cents is distinct from (checked_orders.revenue * 100)::bigint
                   or per_order.{{ model }}_profit_cents is distinct from (checked_orders.profit * 100)::bigint)
                 then '{{ model }}' end{{ ',' if not loop.last }}
            {%- endfor %}
{%- endset %}
        {{ array_without_nulls(array_of(failing_cases)) }} as failing_models
    from checked_orders
    {#- in full checks every credited order is read: one credited but not converting fails too #}
    {{ 'full outer join' if full_checks() else 'left join' }} per_order on per_order.order_id = checked_orders.order_id
),

failing as (
    select judged.order_id, judged.revenue, judged.profit, {{ unnest_in_select('judged.failing_models') }} as model
    from judged
    where cardinality(judged.failing_models) > 0
)

-- the credited sums are read again for the failing (order, model)s only, through the order_id index
select
    failing.order_id, failing.model, failing.revenue as order_revenue, sums.credited_revenue,
    sums.fraction_sum, failing.profit as order_profit, sums.credited_profit
from failing
left join lateral (
    select
        round(sum(credits.credited_revenue), 2) as credited_revenue,
        sum(credits.credit_fraction) as fraction_sum,
        round(sum(credits.credited_profit), 2) as credited_profit
    from {{ ref('fct_attribution_credits') }} as credits
    where credits.order_id = failing.order_id and credits.model = failing.model
) as sums on true
