
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Nothing is lost between staging and the attribution mart: the same converting orders (of known
-- stores), both ways. Incremental runs check the orders the run staged or attributed.
with converting as (
    -- staging truth: the order rules of macros/orders.sql on the staged orders
    select orders.order_id
    from "gen40"."staging"."stg_shop__orders" as orders
    inner join "gen40"."staging"."stg_shop__stores" as stores on stores.store_id = orders.store_id
    where (orders.status not in ('cancelled', 'pending'))
      
),

attributed as (
    select order_id from "gen40"."marts"."fct_order_attribution" as orders
    where true 
),

checked as (
    -- the orders either side names
    select order_id from converting
    union
    select order_id from attributed
)

(
    select order_id, 'missing from fct_order_attribution' as problem
    from checked
    where order_id in (
        select orders.order_id from "gen40"."staging"."stg_shop__orders" as orders
        inner join "gen40"."staging"."stg_shop__stores" as stores on stores.store_id = orders.store_id
        where (orders.status not in ('cancelled', 'pending')))
      and order_id not in (select order_id from "gen40"."marts"."fct_order_attribution")
)
union all
(
    select order_id, 'not a converting order'
    from checked
    where order_id in (select order_id from "gen40"."marts"."fct_order_attribution")
      and order_id not in (
        select orders.order_id from "gen40"."staging"."stg_shop__orders" as orders
        inner join "gen40"."staging"."stg_shop__stores" as stores on stores.store_id = orders.store_id
        where (orders.status not in ('cancelled', 'pending')))
)
  
  
      
    ) dbt_internal_test