
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- Nothing is lost between staging and the attribution mart: the same converting orders (of known
-- stores, by the order rules of macros/orders.sql), both ways. Incremental runs check the orders
-- the run staged or attributed.
with checked as (
    -- the orders this check looks at: all, or those the last run staged or attributed
    select orders.order_id from "gen40"."staging"."stg_shop__orders" as orders
    where true 
    union
    select attributed.order_id from "gen40"."marts"."fct_order_attribution" as attributed
    where true 
),

converting as (
    select orders.order_id
    from "gen40"."staging"."stg_shop__orders" as orders
    inner join "gen40"."staging"."stg_shop__stores" as stores on stores.store_id = orders.store_id
    where (orders.status not in ('cancelled', 'pending'))
      and orders.order_id in (select order_id from checked)
),

attributed as (
    select order_id from "gen40"."marts"."fct_order_attribution"
    where order_id in (select order_id from checked)
)

(select order_id, 'missing from fct_order_attribution' as problem from converting
 except
 select order_id, 'missing from fct_order_attribution' from attributed)
union all
(select order_id, 'not a converting order' from attributed
 except
 select order_id, 'not a converting order' from converting)
  
  
      
    ) dbt_internal_test