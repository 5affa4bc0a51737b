
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Attributed revenue equals the revenue of the converting orders (staging truth: the order rules
-- of macros/orders.sql on stg_shop__orders), and the daily channel mart adds up to the same.
-- Full checks: per store and model over everything. Incremental runs: per order and model for the
-- orders the run re-credited, and per store, day and model for the days it rebuilt.
-- both branches' inputs, declared for the DAG:
-- depends_on: "gen40"."staging"."stg_shop__stores"
-- depends_on: "gen40"."marts"."fct_channel_attribution_daily"

with truth as (
    select orders.store_id, count(*) as orders, sum((orders.subtotal - orders.discount - orders.refunded_amount)) as revenue
    from "gen40"."staging"."stg_shop__orders" as orders
    inner join "gen40"."staging"."stg_shop__stores" as stores on stores.store_id = orders.store_id
    where (orders.status not in ('cancelled', 'pending'))
    group by orders.store_id
),

credited as (
    select store_id, model, sum(credited_conversions) as conversions, sum(credited_revenue) as revenue
    from "gen40"."marts"."fct_attribution_credits"
    group by store_id, model
),

daily as (
    select store_id, model, sum(attributed_conversions) as conversions, sum(attributed_revenue) as revenue
    from "gen40"."marts"."fct_channel_attribution_daily"
    group by store_id, model
)

select truth.store_id as checked_key, credited.model, truth.revenue,
       credited.revenue as credited_revenue, daily.revenue as daily_revenue
from truth
left join credited on credited.store_id = truth.store_id
left join daily on daily.store_id = truth.store_id and daily.model = credited.model
where credited.model is null
   or credited.revenue <> truth.revenue
   or abs(credited.conversions - truth.orders) > 0.000001
   or daily.revenue is distinct from truth.revenue
   or abs(daily.conversions - truth.orders) > 0.001

  
  
      
    ) dbt_internal_test