
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, date, channel, source, count(*) as occurrences
from "gen40"."intermediate"."int_unified_metrics_daily"
group by store_id, date, channel, source
having count(*) > 1

  
  
      
    ) dbt_internal_test