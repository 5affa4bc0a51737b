-- Per (order, model): credit fractions sum to 1 and credited revenue/profit to the order's,
-- to the cent. Every converting order has credits under all five models. Incremental runs check
-- the orders the run (re)attributed. Sums are taken in integer units (fractions at 12 places,
-- money in cents): exact, and light enough to group millions of credits in memory.
with checked_orders as (
    select orders.order_id, orders.revenue, orders.profit
    from {{ ref('fct_order_attribution') }} as orders
    where true {{ latest_batch_only('orders.processed_at', ref('fct_order_attribution')) }}
),

per_order_model as (
    select credits.order_id, credits.model,
           sum((credits.credit_fraction * 1000000000000)::bigint) as fraction_units,
           sum((credits.credited_revenue * 100)::bigint) as revenue_cents,
           sum((credits.credited_profit * 100)::bigint) as profit_cents
    from {{ ref('fct_attribution_credits') }} as credits
    {%- if not full_checks() %}
    where credits.order_id in (select order_id from checked_orders)
    {%- endif %}
    group by credits.order_id, credits.model
),

expected as (
    select checked_orders.order_id, models.model, checked_orders.revenue, checked_orders.profit
    from checked_orders
    cross join (values ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) as models(model)
)

select expected.order_id, expected.model, expected.revenue, per_order_model.revenue_cents,
       expected.profit, per_order_model.profit_cents, per_order_model.fraction_units
from expected
left join per_order_model
    on per_order_model.order_id = expected.order_id and per_order_model.model = expected.model
where per_order_model.order_id is null
   or per_order_model.fraction_units <> 1000000000000
   or per_order_model.revenue_cents <> (expected.revenue * 100)::bigint
   or per_order_model.profit_cents <> (expected.profit * 100)::bigint
