
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select store_id, signal_type, channel, source, period, count(*) as occurrences
from "gen40"."marts"."fct_insight_signals"
group by store_id, signal_type, channel, source, period
having count(*) > 1

  
  
      
    ) dbt_internal_test