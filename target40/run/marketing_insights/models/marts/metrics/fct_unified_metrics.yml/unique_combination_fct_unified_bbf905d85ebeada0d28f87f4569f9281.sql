
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, channel, source, period, period_start, count(*) as occurrences
from "gen40"."marts"."fct_unified_metrics"
group by store_id, channel, source, period, period_start
having count(*) > 1

  
  
      
    ) dbt_internal_test