
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select order_id, model, touchpoint_id, count(*) as occurrences
from "gen40"."marts"."fct_attribution_credits"
group by order_id, model, touchpoint_id
having count(*) > 1

  
  
      
    ) dbt_internal_test