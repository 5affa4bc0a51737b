-- Per (order, model): credit fractions sum to 1 and credited revenue/profit to the order's,
-- to the cent. Every converting order has credits under all five models. Incremental runs check
-- the orders the run (re)attributed.
with checked_orders as (
    select orders.order_id, orders.revenue, orders.profit
    from "gen40"."marts"."fct_order_attribution" as orders
    where true 
),

per_order_model as (
    select order_id, model,
           sum(credit_fraction) as fraction_sum,
           sum(credited_revenue) as revenue_sum,
           sum(credited_profit) as profit_sum
    from "gen40"."marts"."fct_attribution_credits"
    where order_id in (select order_id from checked_orders)
    group by order_id, model
),

expected as (
    select checked_orders.order_id, models.model, checked_orders.revenue, checked_orders.profit
    from checked_orders
    cross join (values ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) as models(model)
)

select expected.order_id, expected.model, expected.revenue, per_order_model.revenue_sum,
       expected.profit, per_order_model.profit_sum, per_order_model.fraction_sum
from expected
left join per_order_model
    on per_order_model.order_id = expected.order_id and per_order_model.model = expected.model
where per_order_model.order_id is null
   or abs(per_order_model.fraction_sum - 1) > 0.000000000001
   or round(per_order_model.revenue_sum, 2) <> expected.revenue
   or round(per_order_model.profit_sum, 2) <> expected.profit